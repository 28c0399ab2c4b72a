"""Answering a shopper's question: understand it, read the matching pets, say what was found.

Bedrock reads the question when it can, the keyword parser when it cannot; either way the filters
are put in the store's own words (its types, its breed spellings and families) and read through
one stream per type, breed or catalog shard. An empty first page comes with suggestions.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from chalicelib.adapters import aws
from chalicelib.adapters.bedrock import BedrockExtractor, ExtractionError
from chalicelib.adapters.storage import PetStore, Positions, ReadBudget
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.selection import Source, sources
from chalicelib.domain.summary import summarize
from chalicelib.domain.text import printable
from chalicelib.language import parser, vocabulary
from chalicelib.language.store_words import StoreWords, store_words
from chalicelib.service.suggestions import Help, Suggester

log = logging.getLogger(__name__)

# Which reader understood a question: the answer's "source".
Reader = Literal["bedrock", "keyword"]
# Seconds to build and send an answer once its last read is back.
ANSWER_SECONDS = 0.5
# Seconds the keyword parser needs after Bedrock, before the first read starts.
KEYWORD_SECONDS = 0.5


def reads_deadline(deadline: Deadline) -> Deadline:
    """When the last DynamoDB call may start: one call at its worst, and the answer, still fit."""
    return deadline.earlier(aws.DYNAMODB.worst_case + ANSWER_SECONDS)


@dataclass(frozen=True)
class Understanding:
    """What a question was read as, by which reader, and why Bedrock did not read it (if so)."""

    filters: PetFilters
    source: Reader
    fallback_reason: str | None = None
    bedrock_latency_ms: float | None = None
    unmatched: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resume:
    """Where "show more" goes on: the question's reading, its sources, and each stream's position.

    Carrying the reading means "show more" neither asks Bedrock again nor risks a different reading
    of the same question; carrying the sources keeps every stream's key in the index it came from.
    """

    filters: PetFilters
    source: Reader
    sources: tuple[Source, ...]
    positions: Positions
    unmatched: tuple[str, ...] = ()

    def state(self) -> dict[str, Any]:
        """A plain mapping for a signed token."""
        return {
            "filters": self.filters.compact(),
            "source": self.source,
            "sources": [[s.kind, s.value, list(s.of_types)] for s in self.sources],
            "positions": self.positions,
            "unmatched": list(self.unmatched),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Resume:
        """The inverse of :meth:`state`; ValueError when ``state`` is not one."""
        try:
            filters = PetFilters.model_validate(json.loads(state["filters"]))
            source: Reader = "bedrock" if state["source"] == "bedrock" else "keyword"
            streams = tuple(
                Source(kind, str(value), tuple(map(str, of))) for kind, value, of in state["sources"]
            )
            positions = {str(name): dict(key) for name, key in state["positions"].items()}
            unmatched = tuple(str(word) for word in state.get("unmatched", ()))
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a question's state: {error}") from None
        if any(stream.kind not in ("all", "type", "breed") for stream in streams):
            raise ValueError("not a question's state: unknown source")
        return cls(filters, source, streams, positions, unmatched)


@dataclass(frozen=True)
class Answer:
    body: dict[str, Any]
    understanding: Understanding
    items_read: int
    resume: Resume | None
    cut_short: bool = False


class PetQuestions:
    """Turns a question into filters (Bedrock, else keywords) and pages through the answer."""

    def __init__(self, store: PetStore, extractor: BedrockExtractor | None) -> None:
        self._store = store
        self._extractor = extractor

    def answer(
        self,
        question: str,
        limit: int,
        resume: Resume | None = None,
        context: PetFilters | None = None,
        deadline: Deadline | None = None,
    ) -> Answer:
        """The answer to ``question`` (a follow-up of ``context``), or its next page after ``resume``,
        sent before ``deadline``: Bedrock gets what is left once the reads are provided for, and no
        read starts once their own deadline has passed (a page then ends with what it found)."""
        started = time.perf_counter()
        question = printable(question)
        if not question:
            raise InvalidInput("query must contain words, not only control characters.")
        reads_by = reads_deadline(deadline) if deadline else None
        stock = self._store.stock()
        words = store_words(stock)
        if resume is not None:
            understanding = Understanding(resume.filters, resume.source, unmatched=resume.unmatched)
            streams, positions = resume.sources, resume.positions
        else:
            understanding = self.understand(question, words, context, reads_by)
            streams, positions = sources(understanding.filters, words.breed_types), None
        filters = understanding.filters
        found = self._store.query(filters, streams, limit, positions, ReadBudget(deadline=reads_by))
        first_page = resume is None
        stocked = stock.type_names()
        helped = Help((), None, 0)
        if first_page and not found.pets and found.positions is None:
            helped = Suggester(self._store, words, reads_by).help(filters, stocked)
        unknown = [kind for kind in filters.any_types if kind not in stock.types]
        body = {
            "query": question,
            "filters": filters.applied(),
            "source": understanding.source,
            "summary": summarize(
                filters,
                len(found.pets),
                found.positions is not None,
                first_page,
                nearest=helped.nearest,
                unknown=unknown,
                stocked=stocked,
                breed_types=words.breed_types,
            ),
            "pets": found.pets,
            "unmatched": list(understanding.unmatched),
            "suggestions": [suggestion.body() for suggestion in helped.suggestions],
        }
        items_read = found.items_read + helped.items_read
        log.info(
            "Answered by %s in %.0f ms: %d pets, %d items read, %d suggestions",
            understanding.source,
            (time.perf_counter() - started) * 1000,
            len(found.pets),
            items_read,
            len(helped.suggestions),
        )
        more = (
            Resume(filters, understanding.source, streams, found.positions, understanding.unmatched)
            if found.positions
            else None
        )
        return Answer(body, understanding, items_read, more, found.cut_short)

    def understand(
        self,
        question: str,
        words: StoreWords,
        context: PetFilters | None = None,
        reads_by: Deadline | None = None,
    ) -> Understanding:
        if self._extractor is None:
            log.info("Bedrock is off: keyword matching")
            return self._keywords(question, words, context, "disabled", reads_by)
        try:
            ask_by = reads_by.earlier(KEYWORD_SECONDS) if reads_by else None
            extraction = self._extractor.extract(question, context, ask_by)
        except ExtractionError as error:
            log.warning("LLM Error: %s. Falling back to keyword matching", error)
            return self._keywords(question, words, context, error.reason, reads_by)
        filters = words.resolve(extraction.filters)
        # A kind the model named that neither the store nor the vocabulary knows could not be used.
        strange = [
            kind
            for kind in filters.any_types
            if kind not in words.types and vocabulary.canonical_type(kind) is None
        ]
        unmatched = tuple(dict.fromkeys((*extraction.unmatched, *strange)))
        return Understanding(filters, "bedrock", None, extraction.latency_ms, unmatched)

    def _keywords(
        self,
        question: str,
        words: StoreWords,
        context: PetFilters | None,
        reason: str,
        reads_by: Deadline | None,
    ) -> Understanding:
        names = self._store.existing_names(parser.name_candidates(question), reads_by)
        reading = parser.read(question, words, names, context)
        log.info(
            "Keyword matching extracted parameters: %s%s",
            reading.filters.applied(),
            " (a follow-up)" if reading.refined else "",
        )
        return Understanding(reading.filters, "keyword", reason, unmatched=reading.unmatched)
