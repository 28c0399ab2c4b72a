"""Typos in pet, breed and sort words: one edit or one swap away, corrected; common words left alone."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from chalicelib.language.vocabulary.kinds import BREED_ALIASES, TYPE_WORDS
from chalicelib.language.vocabulary.orders import SORT_WORDS
from chalicelib.language.vocabulary.text import words

# Common English words one letter away from a pet word; never "corrected" into one.
TYPO_DENYLIST: frozenset[str] = frozenset(
    words(
        "funny, sunny, runny, happy, poppy, soggy, foggy, witty, shake, shakes, mitten, mittens, bitten,"
        " wizard, wizards, carrot, carrots, hurtle, hurtles, rabbi, gates, chief, puppet, puppets, coldest,"
        " boldest, eldest, noodle, noodles, spider, spiders, trench, house, houses, germane, bengali, boldly,"
        " olden, order, orders, boarder, minus"
    )
)
MIN_TYPO_WORD = 5
MIN_TYPO_KEY = 6


@functools.cache
def typo_keys() -> frozenset[str]:
    """The words a typo is corrected into (built on first use, not at import)."""
    keys = {w for w in TYPE_WORDS if " " not in w}
    keys.update(part for alias in BREED_ALIASES for part in re.split(r"[\s-]+", alias))
    keys.update(SORT_WORDS)
    return frozenset(w for w in keys if len(w) >= MIN_TYPO_KEY and w.isalpha())


def _deletions(word: str) -> Iterator[tuple[int, str]]:
    for i in range(len(word)):
        yield i, word[:i] + word[i + 1 :]


@functools.cache
def _indexes() -> tuple[dict[str, str], dict[tuple[int, str], str]]:
    # Edit distance 1 without trying every letter: a word missing a letter is a deletion of a key;
    # a word with one wrong letter shares a deletion at the same position.
    keys = typo_keys()
    missing = {gap: key for key in keys for _, gap in _deletions(key)}
    wrong = {(i, gap): key for key in keys for i, gap in _deletions(key)}
    return missing, wrong


def correct_typo(word: str) -> str | None:
    """The pet, breed or sort word ``word`` is one edit (or one swap) away from, if any."""
    keys = typo_keys()
    # a plural of a known word is no typo, and every reader takes plurals as they are
    plural = word.removesuffix("s") in keys or word.removesuffix("es") in keys
    known = plural or word in keys or word in TYPE_WORDS or word in TYPO_DENYLIST
    if known or len(word) < MIN_TYPO_WORD or not word.isalpha():
        return None
    missing_letter, wrong_letter = _indexes()
    if word in missing_letter:
        return missing_letter[word]
    for i, gap in _deletions(word):
        if gap in keys:
            return gap
        if (i, gap) in wrong_letter:
            return wrong_letter[(i, gap)]
    for i in range(len(word) - 1):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if swapped in keys:
            return swapped
    return None
