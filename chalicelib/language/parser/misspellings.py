"""Misspelled words in a question read as what they meant, the store's words before the vocabulary's.

Each correction is reported: the word as the shopper wrote it, and what it was read as, in the
store's spelling ({"chiwawa": "Chihuahua", "dgos": "dogs"}).
"""

from __future__ import annotations

import re

from chalicelib.domain.english import plural
from chalicelib.language.parser.question_text import WORD
from chalicelib.language.store_words import StoreWords
from chalicelib.language.vocabulary import Spelled, vocabulary_speller
from chalicelib.language.vocabulary.known_words import is_known
from chalicelib.language.vocabulary.spelling import MIN_LETTERS

# Words not already known that one question may have looked up: a shopper's question has a few;
# past this many, the rest are read as written (a page of nonsense costs no more than a question).
MAX_LOOKUPS = 24


def correct_spelling(
    low: str, written: str, store: StoreWords, protected: frozenset[str]
) -> tuple[str, dict[str, str]]:
    """``low`` with its misspelled words corrected (``protected`` ones kept), and the corrections
    ({word as ``written``: what it was read as})."""
    corrected: dict[str, str] = {}
    looked_up: set[str] = set()

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < MIN_LETTERS or word in protected or store.speller.knows(word) or is_known(word):
            return word
        looked_up.add(word)
        if len(looked_up) > MAX_LOOKUPS:
            return word
        spelled = store.speller.correct(word) or vocabulary_speller().correct(word)
        if spelled is None:
            return word
        corrected.setdefault(_as_written(word, written), _shown(spelled, store))
        return spelled.text

    return WORD.sub(fix, low), corrected


def _shown(spelled: Spelled, store: StoreWords) -> str:
    if spelled.breed is None:
        return spelled.shown
    spelling = store.spelling(spelled.breed)
    return plural(spelling) if spelled.plural else spelling


def _as_written(word: str, written: str) -> str:
    found = re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", written, re.IGNORECASE)
    return found.group(0) if found else word
