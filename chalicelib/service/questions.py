"""Answering a shopper's question: understand it, read the matching pets, say what was found."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from chalicelib.adapters.bedrock import BedrockExtractor, ExtractionError
from chalicelib.adapters.storage import PetStore
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.summary import summarize
from chalicelib.domain.text import printable
from chalicelib.language import keywords
from chalicelib.language.vocabulary import canonical_type

log = logging.getLogger(__name__)

Source = Literal["bedrock", "keyword"]


@dataclass(frozen=True)
class Understanding:
    filters: PetFilters
    source: Source
    fallback_reason: str | None = None
    bedrock_latency_ms: float | None = None


@dataclass(frozen=True)
class Resume:
    """Where "show more" goes on: the question's filters, who read them, and the last key read.

    Carrying the filters means "show more" neither asks Bedrock again nor risks a different
    reading of the same question, and the key is always read in the index its filters chose.
    """

    filters: PetFilters
    source: Source
    key: dict[str, Any]

    def state(self) -> dict[str, Any]:
        """A plain mapping for a signed token."""
        return {
            "key": self.key,
            "filters": json.dumps(self.filters.applied(), separators=(",", ":"), ensure_ascii=False),
            "source": self.source,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Resume:
        """The inverse of :meth:`state`; ValueError when ``state`` is not one."""
        try:
            filters = PetFilters.model_validate(json.loads(state["filters"]))
            source: Source = "bedrock" if state["source"] == "bedrock" else "keyword"
            key = state["key"]
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a question's state: {error}") from None
        if not isinstance(key, dict):
            raise ValueError("not a question's state: the key is not a mapping")
        return cls(filters, source, key)


@dataclass(frozen=True)
class Answer:
    body: dict[str, Any]
    understanding: Understanding
    items_read: int
    resume: Resume | None


class PetQuestions:
    """Turns a question into filters (Bedrock, else keywords) and pages through the answer."""

    def __init__(self, store: PetStore, extractor: BedrockExtractor | None) -> None:
        self._store = store
        self._extractor = extractor

    def answer(self, question: str, limit: int, resume: Resume | None = None) -> Answer:
        started = time.perf_counter()
        question = printable(question)
        if not question:
            raise InvalidInput("query must contain words, not only control characters.")
        if resume is not None:
            understanding, start = Understanding(resume.filters, resume.source), resume.key
        else:
            understanding, start = self.understand(question), None
        page = self._store.query(understanding.filters, limit, start)
        body = {
            "query": question,
            "filters": understanding.filters.applied(),
            "source": understanding.source,
            "summary": summarize(
                understanding.filters, len(page.pets), page.last_key is not None, start is None
            ),
            "pets": page.pets,
        }
        log.info(
            "Answered by %s in %.0f ms: %d pets, %d items read",
            understanding.source,
            (time.perf_counter() - started) * 1000,
            len(page.pets),
            page.items_read,
        )
        more = Resume(understanding.filters, understanding.source, page.last_key) if page.last_key else None
        return Answer(body, understanding, page.items_read, more)

    def understand(self, question: str) -> Understanding:
        if self._extractor is None:
            log.info("Bedrock is off: keyword matching")
            return Understanding(self._keywords(question), "keyword", "disabled")
        try:
            extraction = self._extractor.extract(question)
        except ExtractionError as error:
            log.warning("LLM Error: %s. Falling back to keyword matching", error)
            return Understanding(self._keywords(question), "keyword", error.reason)
        return Understanding(_in_store_words(extraction.filters), "bedrock", None, extraction.latency_ms)

    def _keywords(self, question: str) -> PetFilters:
        names = self._store.existing_names(keywords.name_candidates(question))
        filters = keywords.parse(question, names=names)
        log.info("Keyword matching extracted parameters: %s", filters.applied())
        return filters


def _in_store_words(filters: PetFilters) -> PetFilters:
    """A model's filters with the type in the store's word for it ("Puppies" is "dog")."""
    if filters.type_filter is None:
        return filters
    return filters.model_copy(
        update={"type_filter": canonical_type(filters.type_filter) or filters.type_filter}
    )
