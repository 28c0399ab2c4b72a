"""Opaque, tamper-checked page tokens wrapping DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from chalicelib.domain.errors import InvalidInput

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
# Room for a question's filters at their longest (three 100-character texts) beside the key.
MAX_TOKEN_CHARS = 4096


class PageTokens:
    """Signs a page's start key together with the scope it belongs to (a listing, a query).

    The signature keeps clients from steering a read to keys of their choosing, and the
    scope keeps a token from one question from being replayed against another.
    """

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the page token secret must be at least 16 bytes")
        self._secret = secret

    def encode(self, key: Mapping[str, Any] | None, scope: str) -> str | None:
        if not key:
            return None
        wire = {name: _SERIALIZER.serialize(value) for name, value in key.items()}
        text = json.dumps(wire, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        payload = _b64encode(text.encode())
        return f"{payload}.{self._sign(payload, scope)}"

    def decode(self, token: str | None, scope: str) -> dict[str, Any] | None:
        if token is None or token == "":
            return None
        if (
            not isinstance(token, str)
            or not token.isascii()
            or len(token) > MAX_TOKEN_CHARS
            or token.count(".") != 1
        ):
            raise bad_token()
        payload, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(payload, scope)):
            raise bad_token()
        try:
            wire = json.loads(_b64decode(payload))
            return {name: _DESERIALIZER.deserialize(value) for name, value in wire.items()}
        except (ValueError, TypeError, AttributeError, binascii.Error) as error:
            raise bad_token() from error

    def _sign(self, payload: str, scope: str) -> str:
        digest = hmac.new(self._secret, f"{scope}\n{payload}".encode(), hashlib.sha256).digest()
        return _b64encode(digest)


def bad_token() -> InvalidInput:
    return InvalidInput("next_token is not valid for this request: start again without it.")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
