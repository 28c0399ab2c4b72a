"""Who reads a question: the keyword parser, Bedrock, or keywords first and Bedrock for what they
cannot use (the READER setting), and why; the confidence rule lives here and nowhere else.

``auto`` makes the keyword reading first. It is the answer, and Bedrock is not asked, when the
reading used every word of the question, every kind in it is one the store stocks, no spelling
had to be guessed, and a follow-up's context applied without conflict. Otherwise Bedrock reads the
question as ``bedrock`` does, with the same deadline, breaker and fallback to the keyword reading.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.adapters.bedrock import BedrockExtractor, Extraction, ExtractionError, Usage
from chalicelib.adapters.stage_settings import Reader
from chalicelib.adapters.storage import PetStore, ReadBudget
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.stock import Stock
from chalicelib.language import parser, vocabulary
from chalicelib.language.parser import Reading
from chalicelib.language.store_words import StoreWords
from chalicelib.service.answers import Source

log = logging.getLogger(__name__)


class Why(enum.StrEnum):
    """Why the answer's reader read it: the log line's and the Reader metric's words."""

    CONFIDENT = "confident"
    UNMATCHED_WORDS = "unmatched_words"
    UNKNOWN_KIND = "unknown_kind"
    GUESSED_SPELLING = "guessed_spelling"
    CONTEXT_CONFLICT = "context_conflict"
    MODEL_FIRST = "model_first"
    KEYWORDS_ONLY = "keywords_only"
    RESUMED = "resumed"


# Seconds the keyword parser needs after Bedrock, before the first read starts.
KEYWORD_SECONDS = 0.5


@dataclass(frozen=True)
class Understanding:
    """What a question was read as, by which reader, and why.

    ``reason`` says why that reader answered: Why.CONFIDENT (auto, keywords used every word), why the
    keywords were not enough (Why.UNMATCHED_WORDS, ...) when Bedrock answered, Why.MODEL_FIRST or
    Why.KEYWORDS_ONLY for the other settings. ``fallback_reason`` is set when Bedrock was asked and
    gave nothing (the keywords answered instead). ``said`` names the filter fields this question's
    own words set; the others came unchanged from the context.
    """

    filters: PetFilters
    source: Source
    reason: str
    fallback_reason: str | None = None
    bedrock_latency_ms: float | None = None
    unmatched: tuple[str, ...] = ()
    corrected: Mapping[str, str] = field(default_factory=dict)
    said: frozenset[str] = frozenset()
    usage: Usage = field(default_factory=Usage)


def doubt(reading: Reading, stock: Stock, context: PetFilters | None) -> str:
    """Why the keyword reading might be wrong, or Why.CONFIDENT: the rule ``auto`` asks Bedrock by."""
    if reading.unmatched:
        return Why.UNMATCHED_WORDS
    if any(kind not in stock.types for kind in reading.filters.any_types):
        return Why.UNKNOWN_KIND
    if reading.corrected:
        return Why.GUESSED_SPELLING
    if context is not None and reading.conflict:
        return Why.CONTEXT_CONFLICT
    return Why.CONFIDENT


class QuestionReader:
    """Reads questions with the setting's reader; one per request (it is handed the request's store)."""

    def __init__(self, store: PetStore, extractor: BedrockExtractor | None, reader: Reader) -> None:
        self._store = store
        self._extractor = extractor
        self._reader: Reader = reader if extractor is not None else "keyword"

    def read(
        self,
        question: str,
        words: StoreWords,
        stock: Stock,
        context: PetFilters | None,
        budget: ReadBudget,
        reads_by: Deadline | None = None,
    ) -> Understanding:
        if self._reader == "keyword":
            return self._keywords(self._reading(question, words, context, budget), Why.KEYWORDS_ONLY)
        if self._reader == "auto":
            reading = self._reading(question, words, context, budget)
            reason = doubt(reading, stock, context)
            if reason == Why.CONFIDENT:
                return self._keywords(reading, Why.CONFIDENT)
            return self._bedrock(question, words, context, budget, reads_by, reason, reading)
        return self._bedrock(question, words, context, budget, reads_by, Why.MODEL_FIRST, None)

    def _reading(
        self, question: str, words: StoreWords, context: PetFilters | None, budget: ReadBudget
    ) -> Reading:
        names = self._store.existing_names(parser.name_candidates(question), budget)
        return parser.read(question, words, names, context)

    def _keywords(self, reading: Reading, reason: str, fallback: str | None = None) -> Understanding:
        log.info(
            "Keyword matching extracted parameters: %s%s (%s)",
            reading.filters.applied(),
            " (a follow-up)" if reading.refined else "",
            fallback or reason,
        )
        return Understanding(
            reading.filters,
            "keyword",
            reason,
            fallback,
            unmatched=reading.unmatched,
            corrected=reading.corrected,
            said=reading.said,
        )

    def _bedrock(
        self,
        question: str,
        words: StoreWords,
        context: PetFilters | None,
        budget: ReadBudget,
        reads_by: Deadline | None,
        reason: str,
        reading: Reading | None,
    ) -> Understanding:
        assert self._extractor is not None, "only asked when Bedrock is on"
        try:
            ask_by = reads_by.earlier(KEYWORD_SECONDS) if reads_by else None
            extraction = self._extractor.extract(question, context, ask_by)
        except ExtractionError as error:
            log.warning("LLM Error: %s. Falling back to keyword matching", error)
            reading = reading or self._reading(question, words, context, budget)
            return self._keywords(reading, reason, fallback=error.reason)
        # What the question itself said, and what it misspelled, as the keywords read it: the
        # model answers with whole filters and no word of either.
        keyword = reading or parser.read(question, words, (), context)
        return _understood(extraction, words, keyword, reason)


def _understood(extraction: Extraction, words: StoreWords, keyword: Reading, reason: str) -> Understanding:
    filters = words.resolve(extraction.filters)
    used = {value.casefold() for value in (*filters.any_types, *filters.any_breeds)}
    # One story per word: a kind the model used is not also a word it could not use.
    unmatched = tuple(
        word for word in extraction.unmatched if vocabulary.singular(word.casefold()) not in used
    )
    corrected = {typed: meant for typed, meant in keyword.corrected.items() if _used(meant, used)}
    said = _said(filters, keyword)
    return Understanding(
        filters,
        "bedrock",
        reason,
        None,
        extraction.latency_ms,
        unmatched,
        corrected,
        said,
        extraction.usage,
    )


def _used(meant: str, used: set[str]) -> bool:
    """Whether the model's filters use what a word was read as: a kind or breed, or a word of one
    ("shepard" read as Shepherd, and the model's breed is German Shepherd)."""
    word = meant.casefold()
    return any(word in (value, vocabulary.singular(value)) or word in value.split() for value in used) or (
        vocabulary.singular(word) in used
    )


def _said(filters: PetFilters, keyword: Reading) -> frozenset[str]:
    """The fields of the model's ``filters`` this turn said: all but those the keyword reading
    carried from the context unchanged."""
    mine, theirs = filters.applied(), keyword.filters.applied()
    carried = {name for name in theirs if name not in keyword.said}
    return frozenset(name for name in mine if name not in carried or mine[name] != theirs[name])
