"""The stage's settings, read from the environment when a request needs them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from chalicelib.adapters.aws import cognito_endpoint
from chalicelib.adapters.secrets import stored_secret
from chalicelib.domain.errors import ConfigurationError

LOCAL_STAGE = "local"
DEFAULT_MODEL_ID = "us.amazon.nova-micro-v1:0"
DEFAULT_TABLE_NAME = "PetStore"
# Who reads a question: keywords first and the model for what they cannot use, the model first,
# or keywords alone. "keyword" whenever Bedrock is off.
Reader = Literal["auto", "bedrock", "keyword"]
READERS: tuple[Reader, ...] = get_args(Reader)


def idempotency_table_name(table_name: str) -> str:
    """Where adds remember their Idempotency-Key, unless IDEMPOTENCY_TABLE_NAME says otherwise."""
    return f"{table_name}-idempotency"


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
    reader: Reader
    idempotency_table_name: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        # os.environ is looked up at call time: chalice's test client swaps the object itself.
        environ = os.environ if environ is None else environ
        stage = environ.get("STAGE", LOCAL_STAGE)
        region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        secret = environ.get("PAGE_TOKEN_SECRET") or stored_secret(
            environ.get("PAGE_TOKEN_SECRET_ID", ""), region
        )
        table_name = environ.get("TABLE_NAME") or DEFAULT_TABLE_NAME
        bedrock_enabled = flag(environ.get("BEDROCK_ENABLED"), default=stage != LOCAL_STAGE)
        return cls(
            stage=stage,
            region=region,
            table_name=table_name,
            user_pool_id=environ.get("USER_POOL_ID", ""),
            app_client_id=environ.get("APP_CLIENT_ID", ""),
            cognito_endpoint=(environ.get("AWS_ENDPOINT_URL_COGNITO_IDP") or cognito_endpoint(region)).rstrip(
                "/"
            ),
            verify_tokens=app_verifies_tokens(environ),
            page_token_secret=secret.encode(),
            bedrock_enabled=bedrock_enabled,
            bedrock_model_id=environ.get("BEDROCK_MODEL_ID", DEFAULT_MODEL_ID),
            reader=reader(environ.get("READER"), bedrock_enabled),
            idempotency_table_name=(
                environ.get("IDEMPOTENCY_TABLE_NAME") or idempotency_table_name(table_name)
            ),
        )

    @property
    def jwks_url(self) -> str:
        if not self.user_pool_id:
            raise ConfigurationError("USER_POOL_ID must be set to verify sign-in tokens")
        return f"{self.cognito_endpoint}/{self.user_pool_id}/.well-known/jwks.json"


def app_verifies_tokens(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app checks tokens itself: by default only in the local stage, where no
    API Gateway authorizer stands in front of it."""
    environ = os.environ if environ is None else environ
    return flag(environ.get("VERIFY_TOKENS"), default=environ.get("STAGE", LOCAL_STAGE) == LOCAL_STAGE)


def flag(value: str | None, default: bool = False) -> bool:
    """An on/off setting: 1, true, yes or on (any case) mean on; unset or blank means ``default``."""
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def reader(value: str | None, bedrock_enabled: bool) -> Reader:
    """The READER setting: "auto" by default where Bedrock is on; always "keyword" where it is off."""
    if not bedrock_enabled:
        return "keyword"
    chosen = (value or "auto").strip().lower()
    for known in READERS:
        if chosen == known:
            return known
    raise ConfigurationError(f"READER must be one of {', '.join(READERS)}, not {value!r}")
