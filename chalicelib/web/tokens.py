"""Opaque, tamper-checked page tokens: where a listing or an answer goes on, for one route, one
question and one day.

Inside what is signed: the state (DynamoDB keys, a question's reading), the route it belongs to,
a hash of what it was asked with (the question and its context), and when it expires. So a token
cannot steer a read to keys of a client's choosing, cannot continue another question or another
route's listing, and stops working after :data:`TOKEN_TTL_SECONDS`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from chalicelib.domain.errors import InvalidInput

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
# Room for a question's filters at their longest beside a position in each of its streams.
MAX_TOKEN_CHARS = 8192
# "Show more" a day later starts the question again: stock and prices will have moved.
TOKEN_TTL_SECONDS = 24 * 3600
_STATE, _EXPIRES, _BOUND = "s", "e", "b"


class PageTokens:
    """Signs a page's state together with its route, what it was asked with, and an expiry."""

    def __init__(self, secret: bytes, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the page token secret must be at least 16 bytes")
        self._secret = secret
        self._clock = clock

    def encode(self, state: Mapping[str, Any] | None, route: str, asked: str = "") -> str | None:
        """A token for ``state`` on ``route``, good only with the same ``asked``; None for no state."""
        if not state:
            return None
        wire = {
            _STATE: {name: _SERIALIZER.serialize(value) for name, value in state.items()},
            _EXPIRES: int(self._clock()) + TOKEN_TTL_SECONDS,
            _BOUND: _digest(asked),
        }
        text = json.dumps(wire, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        payload = _b64encode(zlib.compress(text.encode(), 9))
        return f"{payload}.{self._sign(payload, route)}"

    def decode(self, token: str | None, route: str, asked: str = "") -> dict[str, Any] | None:
        """The state of ``token``, or None for no token; InvalidInput when it is not one of ours
        for this route and this question, or has expired."""
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
        if not hmac.compare_digest(signature, self._sign(payload, route)):
            raise bad_token()
        try:
            wire = json.loads(zlib.decompress(_b64decode(payload)))
            expires, bound, state = int(wire[_EXPIRES]), str(wire[_BOUND]), wire[_STATE]
            decoded = {name: _DESERIALIZER.deserialize(value) for name, value in state.items()}
        except (ValueError, TypeError, KeyError, AttributeError, binascii.Error, zlib.error) as error:
            raise bad_token() from error
        if self._clock() > expires:
            raise InvalidInput("next_token has expired: start again without it.")
        if not hmac.compare_digest(bound, _digest(asked)):
            raise InvalidInput("next_token belongs to another question: start again without it.")
        return decoded

    def _sign(self, payload: str, route: str) -> str:
        digest = hmac.new(self._secret, f"{route}\n{payload}".encode(), hashlib.sha256).digest()
        return _b64encode(digest)


def bad_token() -> InvalidInput:
    return InvalidInput("next_token is not valid for this request: start again without it.")


def _digest(asked: str) -> str:
    return _b64encode(hashlib.sha256(asked.encode()).digest()[:16])


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
