"""Reading one question: every reader in turn, then what was left, then the earlier answer's filters."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.domain.filters import PetFilters
from chalicelib.language import vocabulary as vocab
from chalicelib.language.parser.asked import Asked
from chalicelib.language.parser.bounds import read_amounts
from chalicelib.language.parser.cues import read_cues
from chalicelib.language.parser.followups import follow_up, fresh, starts_fresh
from chalicelib.language.parser.kind_mentions import read_emoji, read_kinds
from chalicelib.language.parser.misspellings import correct_spelling
from chalicelib.language.parser.names import folded_table, read_name
from chalicelib.language.parser.question_text import (
    WORD,
    Marked,
    normalize,
    plain,
    sanitize,
    whole_words,
)
from chalicelib.language.parser.sort_order import read_order
from chalicelib.language.parser.stages import read_stages, stage_bounds
from chalicelib.language.parser.unmatched import leftovers, unknown_subject
from chalicelib.language.parser.wanted_kinds import Wanted, split_wanted
from chalicelib.language.store_words import StoreWords
from chalicelib.language.vocabulary import talk
from chalicelib.language.vocabulary.life_stages import Stage

_NO_STORE = StoreWords()


@dataclass(frozen=True)
class Reading:
    """What a question asks for, and how it was read.

    ``unmatched``: the words it said that the answer could not use (each word is either used in
    the filters or listed here, never both). ``refined``: it was read as a follow-up of its context.
    ``corrected``: each misspelled word as written, and what it was read as in the store's spelling.
    ``said``: the fields of ``filters`` this question's own words set; any other came unchanged from
    the context. ``conflict``: the context, or the question itself, could not be applied exactly as
    written (a carried bound dropped, a kind both wanted and left out, a correction that replaced
    something, kinds the store does not stock dropped).
    """

    filters: PetFilters
    unmatched: tuple[str, ...] = ()
    refined: bool = False
    corrected: Mapping[str, str] = field(default_factory=dict)
    said: frozenset[str] = frozenset()
    conflict: bool = False


@functools.cache
def _any_pet() -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z])(?:{'|'.join(sorted(talk.ANY_PET))})(?![a-z])")


def read(
    question: str,
    store: StoreWords | None = None,
    names: Iterable[str] = (),
    context: PetFilters | None = None,
) -> Reading:
    """Read ``question`` with the store's words and the names found in it, after ``context`` if given.

    Never raises on untrusted input: the worst case is empty filters.
    """
    store = store or _NO_STORE
    original = plain(question)
    store_names = folded_table(names)
    spelled, corrected = correct_spelling(
        normalize(original.lower()), original, store, _protected(store, store_names)
    )
    text = Marked(spelled)
    text.take(whole_words(talk.FOR_WHOM))
    gets_on_with = whole_words(talk.GETS_ON_WITH)
    traits = [(m.start(), m.group(0)) for m in gets_on_with.finditer(text.rest)]
    text.take(gets_on_with)
    bounds = read_amounts(text)
    stages = read_stages(text)
    text.take(whole_words(talk.BUDGET_TALK))
    order = read_order(text)
    cues = read_cues(text)
    name = read_name(original, text, store_names)
    mentions = read_kinds(text, store)
    wanted, contradicted = _consistent(split_wanted(text, mentions))
    emoji = read_emoji(sanitize(question))
    wanted = Wanted((*wanted.wanted, *emoji), wanted.left_out)
    names_pets = bool(_any_pet().search(text.rest))
    phrases = [
        (start, phrase) for start, phrase in leftovers(text) if not _answered(phrase, bounds.values, name)
    ]
    asked = Asked.of(wanted, bounds.values, order, name, cues, names_pets)
    subject = None if mentions or emoji or name else unknown_subject(text, phrases)
    if subject:
        # "do you have wombats?": a kind of pet the store does not know, so none of the others
        asked = replace(asked, types=(vocab.singular(subject[1]),))
        phrases = [phrase for phrase in phrases if phrase != subject]
    asked, crossed = _aged(asked, stages, wanted, context)
    unmatched = tuple(dict.fromkeys(phrase for _, phrase in sorted([*phrases, *traits, *contradicted])))
    outcome = fresh(asked.filters()) if context is None else follow_up(asked, context, store)
    return Reading(
        outcome.filters,
        unmatched,
        outcome.refined,
        corrected=corrected,
        said=outcome.said,
        conflict=outcome.conflict or bool(contradicted) or crossed,
    )


def _answered(phrase: str, bounds: Mapping[str, Any], name: str | None) -> bool:
    """Whether ``phrase`` says only what the answer shows anyway: the measure of a number that was
    read ("dogs that cost less than 700"), or what the card of a pet asked for by name tells ("how
    old is Charlie?")."""
    words = set(phrase.split())
    return bool((bounds and words <= talk.MEASURE_TALK) or (name and words <= talk.ABOUT_A_PET))


def _aged(
    asked: Asked, stages: list[Stage], wanted: Wanted, context: PetFilters | None
) -> tuple[Asked, bool]:
    """``asked`` with the ages of its life stages, for the kinds it asks about, else (following up)
    the kinds of the answer before; and whether a stage gave way to an explicit age."""
    kinds = asked.types
    if not kinds and context is not None and not starts_fresh(asked):
        kinds = context.any_types
    ages, crossed = stage_bounds(stages, wanted.wanted, kinds, asked.bounds)
    return replace(asked, bounds={**asked.bounds, **ages}), crossed


def _consistent(wanted: Wanted) -> tuple[Wanted, list[tuple[int, str]]]:
    """``wanted`` without the kinds it both wants and leaves out ("birds but no parrots", when
    parrots are birds to the store): such a "not" cannot be used, so its words are unmatched."""
    kinds = {kind for m in wanted.wanted if m.kind != "breed" for kind in m.values}
    clashing = [m for m in wanted.left_out if m.kind != "breed" and set(m.values) <= kinds]
    kept = tuple(m for m in wanted.left_out if m not in clashing)
    return Wanted(wanted.wanted, kept), [(m.start, m.words) for m in clashing]


def parse(question: str, breeds: Iterable[str] = (), names: Iterable[str] = ()) -> PetFilters:
    """The filters ``question`` asks for, given the store's ``breeds`` (types unknown) and ``names``."""
    return read(question, StoreWords.with_breeds(breeds), names).filters


def _protected(store: StoreWords, names: dict[str, str]) -> frozenset[str]:
    # the store's own names, breeds and types are never misspellings of a vocabulary word
    return store.words | {word for name in names for word in WORD.findall(name)}
