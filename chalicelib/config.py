"""The stage's settings, read from the environment when a request needs them."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.bedrock import DEFAULT_MODEL_ID
from chalicelib.errors import ServiceUnavailable

log = logging.getLogger(__name__)

LOCAL_STAGE = "local"
_PASSING_SECRET_ERRORS = {"ThrottlingException", "InternalServiceError", "RequestLimitExceeded"}


class ConfigurationError(RuntimeError):
    """A setting the stage needs is missing: a deployment mistake, not a client's."""


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    table_name: str
    user_pool_id: str
    app_client_id: str
    cognito_endpoint: str
    verify_tokens: bool
    page_token_secret: bytes
    bedrock_enabled: bool
    bedrock_model_id: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        # os.environ is looked up at call time: chalice's test client swaps the object itself.
        environ = os.environ if environ is None else environ
        stage = environ.get("STAGE", LOCAL_STAGE)
        region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        secret = environ.get("PAGE_TOKEN_SECRET") or stored_secret(
            environ.get("PAGE_TOKEN_SECRET_ID", ""), region
        )
        if len(secret) < 16:
            raise ConfigurationError(
                "PAGE_TOKEN_SECRET (or the secret named by PAGE_TOKEN_SECRET_ID) needs 16+ characters"
            )
        return cls(
            stage=stage,
            region=region,
            table_name=environ.get("TABLE_NAME", "PetStore"),
            user_pool_id=environ.get("USER_POOL_ID", ""),
            app_client_id=environ.get("APP_CLIENT_ID", ""),
            cognito_endpoint=(
                environ.get("AWS_ENDPOINT_URL_COGNITO_IDP") or f"https://cognito-idp.{region}.amazonaws.com"
            ).rstrip("/"),
            verify_tokens=app_verifies_tokens(environ),
            page_token_secret=secret.encode(),
            bedrock_enabled=_flag(environ.get("BEDROCK_ENABLED"), default=stage != LOCAL_STAGE),
            bedrock_model_id=environ.get("BEDROCK_MODEL_ID", DEFAULT_MODEL_ID),
        )

    @property
    def jwks_url(self) -> str:
        if not self.user_pool_id:
            raise ConfigurationError("USER_POOL_ID must be set to verify sign-in tokens")
        return f"{self.cognito_endpoint}/{self.user_pool_id}/.well-known/jwks.json"


@functools.cache
def stored_secret(secret_id: str, region: str) -> str:
    """The value of a Secrets Manager secret, fetched once per container; "" when no id is given.

    Deployed stages keep the page-token secret there rather than in the function's environment,
    where anyone allowed to read the function's configuration would see it.
    """
    if not secret_id:
        return ""
    config = Config(connect_timeout=2, read_timeout=3, retries={"mode": "standard", "total_max_attempts": 3})
    client = boto3.client("secretsmanager", region_name=region, config=config)
    # A failure is not cached (functools.cache keeps only answers): the next request tries again.
    try:
        return client.get_secret_value(SecretId=secret_id)["SecretString"]
    except ClientError as error:
        code = error.response["Error"]["Code"]
        log.error("Could not read secret %s: %s", secret_id, error)
        if code in _PASSING_SECRET_ERRORS:
            raise ServiceUnavailable(
                "The service could not read its settings just now; please retry."
            ) from error
        raise ConfigurationError(f"PAGE_TOKEN_SECRET_ID {secret_id} could not be read") from error
    except BotoCoreError as error:
        log.error("Could not reach Secrets Manager for %s: %s", secret_id, error)
        raise _settings_unavailable() from error


def _settings_unavailable() -> ServiceUnavailable:
    return ServiceUnavailable("The service could not read its settings just now; please retry.")


def app_verifies_tokens(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app checks tokens itself: by default only in the local stage, where no
    API Gateway authorizer stands in front of it."""
    environ = os.environ if environ is None else environ
    return _flag(environ.get("VERIFY_TOKENS"), default=environ.get("STAGE", LOCAL_STAGE) == LOCAL_STAGE)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
