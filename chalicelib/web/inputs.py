"""Reading request input: JSON bodies, query parameters and path ids, each checked."""

from __future__ import annotations

import decimal
import json
import logging
import re
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chalicelib.domain.errors import InvalidInput, PayloadTooLarge
from chalicelib.domain.pets import MAX_PET_ID, PET_ID_PATTERN

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4096
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_PET_ID = re.compile(PET_ID_PATTERN)
_LIMIT = re.compile(r"[0-9]{1,3}")
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 128
_IDEMPOTENCY_KEY = re.compile(rf"[\x21-\x7e]{{1,{MAX_IDEMPOTENCY_KEY}}}")

Model = TypeVar("Model", bound=BaseModel)


def json_body(raw: str | bytes | None, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The request body as a JSON object, with floats as Decimal (boto3 refuses floats).

    ``NaN`` and ``Infinity``, which are not JSON, come back as Decimal's NaN and infinities, so that
    the model the body is validated with refuses them naming their field; so does a number whose
    exponent is past what Decimal can hold.
    """
    if not raw:
        raise InvalidInput("The request body is empty: send a JSON object.")
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"The request body is larger than {max_bytes} bytes.")
    try:
        body = json.loads(raw, parse_float=_decimal, parse_constant=Decimal)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"The request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return body


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except decimal.InvalidOperation:
        # An exponent past what decimal holds (1e1000000000000000000): no number a field takes,
        # so NaN, which every model refuses naming the field.
        return Decimal("NaN")


def validated(model: type[Model], data: dict[str, Any]) -> Model:
    """``data`` as ``model``, or InvalidInput naming every field that is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [_describe(problem) for problem in error.errors()]
        raise InvalidInput("; ".join(problems) + ".") from None
    except ArithmeticError as error:
        # Models check their numbers field by field; this is the net under a check that did
        # arithmetic on a number no field check had refused yet (decimal's errors are ArithmeticError).
        log.warning("A number in a %s body could not be read: %r", model.__name__, error)
        raise InvalidInput("A number in the request cannot be read: send plain JSON numbers.") from None


def _describe(problem: Any) -> str:
    field = ".".join(str(part) for part in problem["loc"]) or "body"
    kind = problem["type"]
    if kind == "missing":
        return f"{field} is required"
    if kind == "extra_forbidden":
        return f"{field} is not a known field"
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{field}: {message[0].lower()}{message[1:]}"


def page_limit(value: str | int | None) -> int:
    """The ``limit`` parameter: a whole number from 1 to MAX_LIMIT, DEFAULT_LIMIT when absent."""
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool):
        value = "bool"
    text = str(value).strip()
    if not _LIMIT.fullmatch(text) or not 1 <= int(text) <= MAX_LIMIT:
        raise InvalidInput(f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(text)


def pet_id(value: str) -> str:
    if not _PET_ID.fullmatch(value):
        raise InvalidInput(f"petId must be 1 to {MAX_PET_ID} letters, digits, '-' or '_'.")
    return value


def idempotency_key(value: str | None) -> str | None:
    """The ``Idempotency-Key`` header: 1 to 128 visible ASCII characters, or None when not sent."""
    if value is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(value):
        raise InvalidInput(
            f"{IDEMPOTENCY_KEY_HEADER} must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters "
            "(letters, digits, punctuation; no spaces)."
        )
    return value
