"""Secrets the stage keeps in Secrets Manager, read once per warm container."""

from __future__ import annotations

import functools
import logging

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.aws import SECRETS_MANAGER, TRANSIENT_ERROR_CODES
from chalicelib.domain.errors import ConfigurationError, ServiceUnavailable

log = logging.getLogger(__name__)


@functools.cache
def stored_secret(secret_id: str, region: str) -> str:
    """The value of a Secrets Manager secret, fetched once per container; "" when no id is given.

    Deployed stages keep the page-token secret there rather than in the function's environment,
    where anyone allowed to read the function's configuration would see it.
    """
    if not secret_id:
        return ""
    client = boto3.client("secretsmanager", region_name=region, config=SECRETS_MANAGER.config())
    # A failure is not cached (functools.cache keeps only answers): the next request tries again.
    try:
        return client.get_secret_value(SecretId=secret_id)["SecretString"]
    except ClientError as error:
        code = error.response["Error"]["Code"]
        log.error("Could not read secret %s: %s", secret_id, error)
        if code in TRANSIENT_ERROR_CODES:
            raise _settings_unavailable() from error
        raise ConfigurationError(f"PAGE_TOKEN_SECRET_ID {secret_id} could not be read") from error
    except BotoCoreError as error:
        log.error("Could not reach Secrets Manager for %s: %s", secret_id, error)
        raise _settings_unavailable() from error


def _settings_unavailable() -> ServiceUnavailable:
    return ServiceUnavailable("The service could not read its settings just now; please retry.")
