"""Answering a shopper's question: understand it, read the matching pets, say what was found."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chalicelib import keywords
from chalicelib.bedrock import BedrockExtractor, ExtractionError
from chalicelib.errors import InvalidInput
from chalicelib.filters import PetFilters
from chalicelib.inputs import MAX_LIMIT
from chalicelib.pagination import MAX_TOKEN_CHARS, PageTokens, bad_token
from chalicelib.storage import PetStore
from chalicelib.summary import summarize

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
Source = Literal["bedrock", "keyword"]


class QueryRequest(BaseModel):
    """The body of ``POST /pets/query``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    query: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)
    ]
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 20
    next_token: Annotated[str, StringConstraints(max_length=MAX_TOKEN_CHARS)] | None = None


@dataclass(frozen=True)
class Understanding:
    filters: PetFilters
    source: Source
    fallback_reason: str | None = None
    bedrock_latency_ms: float | None = None


@dataclass(frozen=True)
class Answer:
    body: dict[str, Any]
    understanding: Understanding
    items_read: int


class PetQuestions:
    """Turns a question into filters (Bedrock, else keywords) and pages through the answer.

    ``next_token`` is one signed token holding the page's last key with the filters and their
    source, so "show more" neither asks Bedrock again nor risks a different reading of the same
    question, and the key is always read in the index its filters chose.
    """

    def __init__(self, store: PetStore, tokens: PageTokens, extractor: BedrockExtractor | None) -> None:
        self._store = store
        self._tokens = tokens
        self._extractor = extractor

    def answer(self, request: QueryRequest) -> Answer:
        started = time.perf_counter()
        question = _printable(request.query)
        if not question:
            raise InvalidInput("query must contain words, not only control characters.")
        if request.next_token:
            understanding, start = self._resume(request.next_token)
        else:
            understanding, start = self.understand(question), None
        page = self._store.query(understanding.filters, request.limit, start)
        body = {
            "query": question,
            "filters": understanding.filters.applied(),
            "source": understanding.source,
            "summary": summarize(
                understanding.filters, len(page.pets), page.last_key is not None, start is None
            ),
            "pets": page.pets,
            "next_token": self._wrap(page.last_key, understanding),
        }
        log.info(
            "Answered by %s in %.0f ms: %d pets, %d items read",
            understanding.source,
            (time.perf_counter() - started) * 1000,
            len(page.pets),
            page.items_read,
        )
        return Answer(body, understanding, page.items_read)

    def understand(self, question: str) -> Understanding:
        if self._extractor is None:
            log.info("Bedrock is off: keyword matching")
            return Understanding(self._keywords(question), "keyword", "disabled")
        try:
            extraction = self._extractor.extract(question)
        except ExtractionError as error:
            log.warning("LLM Error: %s. Falling back to keyword matching", error)
            return Understanding(self._keywords(question), "keyword", error.reason)
        return Understanding(extraction.filters, "bedrock", None, extraction.latency_ms)

    def _keywords(self, question: str) -> PetFilters:
        names = self._store.existing_names(keywords.name_candidates(question))
        filters = keywords.parse(question, names=names)
        log.info("Keyword matching extracted parameters: %s", filters.applied())
        return filters

    def _wrap(self, last_key: dict[str, Any] | None, understanding: Understanding) -> str | None:
        if last_key is None:
            return None
        state = {
            "key": last_key,
            "filters": json.dumps(understanding.filters.applied(), separators=(",", ":"), ensure_ascii=False),
            "source": understanding.source,
        }
        return self._tokens.encode(state, scope="question")

    def _resume(self, token: str) -> tuple[Understanding, dict[str, Any]]:
        state = self._tokens.decode(token, scope="question") or {}
        try:
            filters = PetFilters.model_validate(json.loads(state["filters"]))
            source: Source = "bedrock" if state["source"] == "bedrock" else "keyword"
            start = state["key"]
        except (KeyError, ValueError):
            raise bad_token() from None
        if not isinstance(start, dict):
            raise bad_token()
        return Understanding(filters, source), start


def _printable(text: str) -> str:
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
