"""Why Bedrock gave no filters: one stable word per reason, for logs, metrics and the breaker."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final, Literal, get_args

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)

log = logging.getLogger(__name__)

# Stable machine words for logs and metrics; the app decides what each means for the shopper.
Reason = Literal[
    "throttled",
    "model_not_ready",
    "service_error",
    "model_timeout",
    "model_error",
    "invalid_request",
    "access_denied",
    "model_not_found",
    "timeout",
    "unreachable",
    "no_tool_call",
    "bad_tool_input",
    "credentials",
    "circuit_open",
    "deadline",
]
REASONS: Final[tuple[Reason, ...]] = get_args(Reason)
# Answers that say nothing about whether Bedrock is up: they never trip the circuit breaker.
NOT_OUTAGES: Final[frozenset[Reason]] = frozenset(
    {"no_tool_call", "bad_tool_input", "circuit_open", "deadline"}
)

# Bedrock's error codes (ClientError Error.Code); any code not listed is a "service_error".
ERROR_REASONS: Final[Mapping[str, Reason]] = {
    "ThrottlingException": "throttled",
    "ModelNotReadyException": "model_not_ready",
    "InternalServerException": "service_error",
    "ServiceUnavailableException": "service_error",
    "ModelTimeoutException": "model_timeout",
    "ModelErrorException": "model_error",
    "ValidationException": "invalid_request",
    "AccessDeniedException": "access_denied",
    "ResourceNotFoundException": "model_not_found",
}


class ExtractionError(Exception):
    """Bedrock gave no usable filters; ``reason`` is one of :data:`REASONS`, ``detail`` is for logs."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: Reason = reason
        self.detail = detail


def client_error(error: ClientError) -> ExtractionError:
    info = error.response.get("Error", {})
    code, message = info.get("Code", "Unknown"), info.get("Message", "")
    log.warning("Bedrock converse failed: %s: %s", code, message)
    return ExtractionError(ERROR_REASONS.get(code, "service_error"), f"{code}: {message}")


def botocore_error(error: BotoCoreError) -> ExtractionError:
    reason: Reason
    if isinstance(error, (ConnectTimeoutError, ReadTimeoutError)):
        reason = "timeout"
    elif isinstance(error, NoCredentialsError):
        reason = "credentials"
    elif isinstance(error, ParamValidationError):
        # botocore refused our own request before sending it: a bug here, not a network problem.
        reason = "invalid_request"
    else:
        reason = "unreachable"
    log.warning("Bedrock converse failed: %s: %s", type(error).__name__, error)
    return ExtractionError(reason, f"{type(error).__name__}: {error}")
