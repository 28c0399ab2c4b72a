"""Answering a shopper's question: understand it, read the matching pets, say what was found.

The setting's reader turns the question into filters (``readers``), in the store's own words, and
the store reads them through one stream per type, breed or catalog shard. A follow-up whose carried
filters leave nothing drops them (``relaxing``); an empty first page comes with suggestions. One
read budget serves the whole request: names, the page, the relaxing and the suggestions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.adapters import aws
from chalicelib.adapters.bedrock import BedrockExtractor
from chalicelib.adapters.stage_settings import Reader
from chalicelib.adapters.storage import Found, PetStore, Positions, ReadBudget
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.plain_text import printable
from chalicelib.domain.selection import Source, sources
from chalicelib.domain.stock import Stock
from chalicelib.domain.summary import summarize
from chalicelib.language.store_words import StoreWords, store_words
from chalicelib.service.answers import PetQueryAnswer, Suggestion
from chalicelib.service.answers import Source as ReaderName
from chalicelib.service.readers import QuestionReader, Understanding, Why
from chalicelib.service.relaxing import Relaxed, relax
from chalicelib.service.suggestions import CHECK_BUDGET, Help, Suggester

log = logging.getLogger(__name__)

# Seconds to build and send an answer once its last read is back.
ANSWER_SECONDS = 0.5


def reads_deadline(deadline: Deadline) -> Deadline:
    """When the last DynamoDB call may start: one call at its worst, and the answer, still fit."""
    return deadline.earlier(aws.DYNAMODB.worst_case + ANSWER_SECONDS)


@dataclass(frozen=True)
class Resume:
    """Where "show more" goes on: the question's reading, its sources, and each stream's position
    (none yet while the first page is read).

    Carrying the reading means "show more" neither asks Bedrock again nor risks a different reading
    of the same question; carrying the sources keeps every stream's key in the index it came from.
    """

    filters: PetFilters
    source: ReaderName
    sources: tuple[Source, ...]
    positions: Positions
    unmatched: tuple[str, ...] = ()
    relaxed: tuple[str, ...] = ()
    corrected: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """A question's answer (``shown``), and what the request learnt answering it."""

    shown: PetQueryAnswer
    understanding: Understanding
    items_read: int
    resume: Resume | None
    cut_short: bool = False

    @property
    def body(self) -> dict[str, Any]:
        return self.shown.body()


class PetQuestions:
    """Turns a question into filters (with the READER setting's reader) and pages through the answer."""

    def __init__(self, store: PetStore, extractor: BedrockExtractor | None, reader: Reader = "auto") -> None:
        self._store = store
        self._reader = QuestionReader(store, extractor, reader)

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
        budget = ReadBudget(deadline=reads_by)
        stock = self._store.stock()
        words = store_words(stock)
        if resume is not None:
            return self._next_page(question, limit, resume, stock, words, budget, started)
        context = words.in_stock(context) if context is not None else None
        understanding = self._reader.read(question, words, stock, context, budget, reads_by)
        filters = understanding.filters
        streams = _stocked(filters, stock, words)
        found = self._store.query(filters, streams, limit, None, budget)
        relaxed = None
        if not found.pets and found.positions is None and context is not None:
            relaxed = self._relaxed(filters, understanding.said, stock, words, budget)
            if relaxed is not None:
                streams = _stocked(relaxed.filters, stock, words)
                found = self._store.query(relaxed.filters, streams, limit, None, budget)
        used = relaxed.filters if relaxed else filters
        helped = Help((), None)
        if not found.pets and found.positions is None:
            helped = Suggester(self._store, words, stock, budget).help(used)
        reading = Resume(
            used,
            understanding.source,
            streams,
            {},
            understanding.unmatched,
            relaxed.dropped if relaxed else (),
            understanding.corrected,
        )
        summary = summarize(
            used,
            len(found.pets),
            found.positions is not None,
            nearest=helped.nearest,
            unknown=[kind for kind in used.any_types if kind not in stock.types],
            stocked=stock.type_names(),
            breed_types=words.breed_types,
            relaxed_from=filters if relaxed else None,
            corrected=understanding.corrected,
        )
        shown, more = _answered(question, reading, found, summary, helped.suggestions)
        _log(understanding, found, budget, started, len(helped.suggestions), relaxed)
        return Answer(shown, understanding, budget.spent, more, found.cut_short)

    def _next_page(
        self,
        question: str,
        limit: int,
        resume: Resume,
        stock: Stock,
        words: StoreWords,
        budget: ReadBudget,
        started: float,
    ) -> Answer:
        understanding = Understanding(
            resume.filters,
            resume.source,
            Why.RESUMED,
            unmatched=resume.unmatched,
            corrected=resume.corrected,
        )
        found = self._store.query(resume.filters, resume.sources, limit, resume.positions, budget)
        summary = summarize(
            resume.filters,
            len(found.pets),
            found.positions is not None,
            first_page=False,
            breed_types=words.breed_types,
            corrected=resume.corrected,
        )
        shown, more = _answered(question, resume, found, summary)
        _log(understanding, found, budget, started, 0, None)
        return Answer(shown, understanding, budget.spent, more, found.cut_short)

    def _relaxed(
        self, filters: PetFilters, said: frozenset[str], stock: Stock, words: StoreWords, budget: ReadBudget
    ) -> Relaxed | None:
        def finds(candidate: PetFilters) -> bool:
            checked = budget.part(CHECK_BUDGET)
            return bool(
                self._store.query(candidate, _stocked(candidate, stock, words), 1, None, checked).pets
            )

        return relax(filters, said, finds)


def _answered(
    question: str, reading: Resume, found: Found, summary: str, suggestions: Sequence[Suggestion] = ()
) -> tuple[PetQueryAnswer, Resume | None]:
    """The answer to ``question`` as ``reading`` read it and ``found`` found, and where it goes on."""
    shown = PetQueryAnswer(
        query=question,
        filters=reading.filters,
        source=reading.source,
        summary=summary,
        pets=found.pets,
        next_token=None,
        unmatched=list(reading.unmatched),
        suggestions=list(suggestions),
        relaxed=list(reading.relaxed),
        corrected=dict(reading.corrected),
    )
    return shown, (replace(reading, positions=found.positions) if found.positions else None)


def _stocked(filters: PetFilters, stock: Stock, words: StoreWords) -> tuple[Source, ...]:
    return stock.stocked(sources(filters, words.breed_types))


def _log(
    understanding: Understanding,
    found: Found,
    budget: ReadBudget,
    started: float,
    suggestions: int,
    relaxed: Relaxed | None,
) -> None:
    log.info(
        "Answered by %s (%s) in %.0f ms: %d pets, %d items read, %d suggestions%s",
        understanding.source,
        understanding.fallback_reason or understanding.reason,
        (time.perf_counter() - started) * 1000,
        len(found.pets),
        budget.spent,
        suggestions,
        f", dropped {', '.join(relaxed.dropped)}" if relaxed else "",
    )
