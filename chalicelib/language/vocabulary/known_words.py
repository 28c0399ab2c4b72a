"""The vocabulary's words for spelling: what a misspelling may be read as, and what is never corrected.

A misspelling may be read as a pet, breed, stage, order or amount word. Never corrected: those
words themselves, every other word the parser's tables use ("show", "under", "instead"), and the
common English words that sit within reach of a pet word (``near_misses``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import chalicelib.language.vocabulary.amounts as amounts
import chalicelib.language.vocabulary.order_words as orders
import chalicelib.language.vocabulary.talk as talk
from chalicelib.domain.english import plural
from chalicelib.language.vocabulary.kind_words import (
    BREEDS,
    FRENCH_ONLY,
    KIND_GROUPS,
    OTHER_ANIMALS,
    TYPE_WORDS,
)
from chalicelib.language.vocabulary.life_stages import BABY_KINDS, STAGE_WORDS
from chalicelib.language.vocabulary.near_misses import NEAR_MISSES
from chalicelib.language.vocabulary.spelling import MIN_LETTERS, Spelled, Speller
from chalicelib.language.vocabulary.translations import TRANSLATIONS
from chalicelib.language.vocabulary.word_tables import words

_LETTERS = re.compile(r"[a-z]+")
# A word of a name of several words ("shepherd" of "German Shepherd") is read on its own from this
# many letters: shorter ones are everyday words ("ball", "king", "blue") that name no breed alone.
MIN_PART = 6
# Words of life stages a misspelling may be read as ("senoir", "elderley").
_STAGE_NAMES = words(
    "baby, babies, newborn, newborns, young, younger, junior, juniors, juvenile, adult, adults, older,"
    " mature, senior, seniors, elderly, geriatric"
)
# Words of amounts and orders a misspelling may be read as ("dollers", "cheapset").
_AMOUNT_WORDS = words(
    "dollars, dollar, years, months, weeks, between, cheaper, cheapest, expensive, affordable, younger,"
    " older, maximum, minimum"
)


def spelled_breeds(breeds: Iterable[tuple[str, Iterable[str]]]) -> Iterator[tuple[str, Spelled]]:
    """(word, what it is read as) for breeds given as (spelling, ways of writing it): a one-word
    name, a name of several words written together ("shihtzu"), and each long word of such a name."""
    for spelling, aliases in breeds:
        shown = {word.casefold(): word for word in re.findall(r"[^\W\d_]+", spelling)}
        for alias in aliases:
            parts = _LETTERS.findall(alias)
            whole = "".join(parts)
            yield whole, Spelled(alias, spelling, breed=spelling)
            yield plural(whole), Spelled(plural(alias), plural(spelling), breed=spelling, plural=True)
            for part in parts if len(parts) > 1 else ():
                if len(part) >= MIN_PART:
                    yield part, Spelled(part, shown.get(part, part))
                    yield plural(part), Spelled(plural(part), plural(shown.get(part, part)))


def spelled_words(pairs: Iterable[tuple[str, Spelled]]) -> dict[str, Spelled]:
    """{word: what it is read as}, the first of each word kept unless a later one names a whole
    breed ("labrador" is the Labrador Retriever, more than a word of its name)."""
    found: dict[str, Spelled] = {}
    for word, spelled in pairs:
        if len(word) >= MIN_LETTERS - 1 and (word not in found or (spelled.breed and not found[word].breed)):
            found[word] = spelled
    return found


def spelled_kinds(kinds: Iterable[str], parts: bool = True) -> Iterator[tuple[str, Spelled]]:
    """(word, what it is read as) for kinds of pet: each one-word kind, and (with ``parts``) each
    long word of a kind of several words ("guinea" of "guinea pig")."""
    for kind in kinds:
        found = _LETTERS.findall(kind)
        if len(found) == 1:
            yield found[0], Spelled(kind, kind)
        elif parts:
            yield from ((part, Spelled(part, part)) for part in found if len(part) >= MIN_PART)


@functools.cache
def vocabulary_words() -> dict[str, Spelled]:
    """Every word a misspelling may be read as, by the vocabulary."""
    breeds = ((name, (name.lower(), *aliases)) for name, (_, aliases) in BREEDS.items())
    animals = [*OTHER_ANIMALS, *(plural(animal) for animal in OTHER_ANIMALS)]
    groups = [*KIND_GROUPS, *(plural(group) for group in KIND_GROUPS)]
    return spelled_words(
        (
            *spelled_kinds(TYPE_WORDS),
            *spelled_kinds(groups, parts=False),
            *spelled_kinds(animals, parts=False),
            *spelled_breeds(breeds),
            *spelled_kinds(BABY_KINDS),
            *spelled_kinds(_STAGE_NAMES),
            *spelled_kinds(orders.SORT_WORDS),
            *spelled_kinds(_AMOUNT_WORDS),
        )
    )


def _words_of(pattern: str) -> list[str]:
    """The words a regex table holds ("young(?:er)?" holds "young" and "younger", near enough)."""
    expanded = re.sub(r"\(\?:(\w+)\)\?", r"|\1", pattern)
    return _LETTERS.findall(expanded)


@functools.cache
def _known() -> frozenset[str]:
    tables: list[Iterable[str]] = [
        vocabulary_words(),
        FRENCH_ONLY,
        talk.FILLER,
        talk.SHOP_TALK,
        (plural(word) for word in talk.SHOP_TALK),
        talk.ANY_PET,
        talk.LIST_WORDS,
        talk.NEGATION_GAP,
        talk.CLAUSE_ENDS,
        amounts.NUMBER_WORDS,
        amounts.BEFORE_NUMBER,
        amounts.AFTER_NUMBER,
        amounts.AROUND_WORDS,
        amounts.PRICE_UNITS,
        amounts.AGE_UNITS,
        amounts.AGE_CUES,
        amounts.PRICE_CUES,
        amounts.MEASURE_WORDS,
        NEAR_MISSES,
    ]
    patterns = [
        *(pattern for pattern, _ in (*orders.STRONG_SORTS, *orders.FIELD_SORTS, *orders.WEAK_SORTS)),
        *(pattern for pattern, _ in TRANSLATIONS),
        *(replacement for _, replacement in TRANSLATIONS),
        *STAGE_WORDS.values(),
        *(value for name, value in vars(talk).items() if name.isupper() and isinstance(value, str)),
    ]
    found = {word for table in tables for value in table for word in _LETTERS.findall(value)}
    found.update(word for pattern in patterns for word in _words_of(pattern))
    return frozenset(found)


def is_known(word: str) -> bool:
    """Whether ``word`` (lowercase) is one the parser knows, or common English: never corrected."""
    return word in _known()


@functools.cache
def vocabulary_speller() -> Speller:
    """The vocabulary's speller: pet, breed, stage, order and amount words."""
    return Speller(vocabulary_words(), is_known)
