"""Paging, in one place: the tokens that say where a listing or an answer goes on, what a
question's token carries, what a token is bound to, and the rules of the secret that signs them.

A token is opaque and tamper-checked. Inside what is signed: the state (the store's positions, a
question's reading), the route it belongs to, a hash of what it was asked with (the question and
its context, as ``domain.filters.asked_key`` puts them, case and spacing aside), and when it
expires. So a token cannot steer a read to keys of a client's choosing, cannot continue another
question or another route's listing, and stops working after :data:`TOKEN_TTL_SECONDS`.
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

from chalicelib.adapters.storage import Positions
from chalicelib.domain.errors import ConfigurationError, InvalidInput
from chalicelib.domain.filters import PetFilters, asked_key
from chalicelib.domain.selection import Source
from chalicelib.service.answering import Resume

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
# Room for a question's filters at their longest beside a position in each of its streams.
MAX_TOKEN_CHARS = 8192
# "Show more" a day later starts the question again: stock and prices will have moved.
TOKEN_TTL_SECONDS = 24 * 3600
# The signing secret's one rule: HMAC-SHA256 wants a key of at least this many bytes to be worth it.
MIN_SECRET_BYTES = 16
_STATE, _EXPIRES, _BOUND = "s", "e", "b"


class PageTokens:
    """Signs a page's state together with its route, what it was asked with, and an expiry."""

    def __init__(self, secret: bytes, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ConfigurationError(
                f"PAGE_TOKEN_SECRET (or the secret PAGE_TOKEN_SECRET_ID names) needs "
                f"{MIN_SECRET_BYTES}+ bytes"
            )
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


class Paging:
    """Where the two paged routes go on: the listing after a key, a question after its reading."""

    def __init__(self, tokens: PageTokens) -> None:
        self._tokens = tokens

    def listing_start(self, token: str | None, route: str) -> dict[str, Any] | None:
        """The key a listing goes on after, from its ``token``; None for the first page."""
        return self._tokens.decode(token, route)

    def listing_token(self, last_key: Mapping[str, Any] | None, route: str) -> str | None:
        return self._tokens.encode(last_key, route)

    def resume(
        self, token: str | None, route: str, question: str, context: PetFilters | None
    ) -> Resume | None:
        """Where ``token`` says to go on with ``question`` (and its context); None from the start."""
        state = self._tokens.decode(token, route, asked_key(question, context))
        if not state:
            return None
        try:
            return resume_of(state)
        except ValueError:
            raise bad_token() from None

    def question_token(
        self, resume: Resume | None, route: str, question: str, context: PetFilters | None
    ) -> str | None:
        if resume is None:
            return None
        return self._tokens.encode(state_of(resume), route, asked_key(question, context))


def state_of(resume: Resume) -> dict[str, Any]:
    """A question's resume state as a plain mapping, for a signed token."""
    return {
        "filters": resume.filters.compact(),
        "source": resume.source,
        "sources": [[s.kind, s.value, list(s.of_types)] for s in resume.sources],
        "positions": resume.positions,
        "unmatched": list(resume.unmatched),
        "relaxed": list(resume.relaxed),
        "corrected": dict(resume.corrected),
    }


def resume_of(state: Mapping[str, Any]) -> Resume:
    """The inverse of :func:`state_of`; ValueError when ``state`` is not one."""
    try:
        filters = PetFilters.model_validate(json.loads(state["filters"]))
        streams = tuple(Source(kind, str(value), tuple(map(str, of))) for kind, value, of in state["sources"])
        positions: Positions = {str(name): dict(key) for name, key in state["positions"].items()}
        resume = Resume(
            filters,
            "bedrock" if state["source"] == "bedrock" else "keyword",
            streams,
            positions,
            tuple(str(word) for word in state.get("unmatched", ())),
            tuple(str(name) for name in state.get("relaxed", ())),
            {str(typed): str(meant) for typed, meant in dict(state.get("corrected", {})).items()},
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a question's state: {error}") from None
    if any(stream.kind not in ("all", "type", "breed") for stream in streams):
        raise ValueError("not a question's state: unknown source")
    return resume
