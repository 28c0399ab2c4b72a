"""Misspelled words read as the word they meant: the rules, and a speller over one set of words.

A word is corrected into the nearest word of the set when it is:

* the same but for doubled or dropped doubled letters ("rabbbits", "chinchila"), or two
  neighbouring letters swapped ("dgos", "ctas"), from 4 letters on;
* one letter added, dropped or changed ("kittns", "beegle"), from 5 letters on, keeping the first
  letter (it is seldom mistyped, and changing it makes other words: "funny", "mitten");
* two letters apart and sounding alike by jellyfish's metaphone and soundex ("budgy"), or by
  either from 7 letters on ("rotwiler", "shepard"); three apart from 8 letters on, with the same
  soundex and at most one sound of metaphone apart ("daschund");
* the same sounds by both, however spelled ("chiwawa": a "hu" before a vowel sounds as a "w"),
  from 6 letters on, at most half the word apart and two letters longer or shorter.

Words shorter than 4 letters are never corrected ("cat" and "car", "rat" and "bat" are both
words), nor is any word the parser knows or a common English word (``near_misses``). Distances
are rapidfuzz's optimal string alignment (Damerau-Levenshtein with adjacent swaps). Both
libraries are imported on the first word that is not already known, not when the app starts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

MIN_LETTERS = 4
ONE_EDIT_FROM = 5
TWO_EDITS_FROM = 7
THREE_EDITS_FROM = 8
SOUNDS_FROM = 6
MIN_SOUNDS = 3
# Words looked up and what they were read as, kept per speller: a warm function sees the same
# words again ("quiet", "fluffy"). Forgotten all at once when full.
MAX_REMEMBERED = 10_000


@dataclass(frozen=True)
class Spelled:
    """A word a misspelling is read as: as written into the question, as an answer shows it, the
    breed it names (when it names a whole breed), and whether it is that breed's plural."""

    text: str
    shown: str
    breed: str | None = None
    plural: bool = False


def collapsed(word: str) -> str:
    """``word`` with each run of one letter written once: "rabbbits" and "rabits" are "rabits"."""
    return re.sub(r"(.)\1+", r"\1", word)


def _spoken(word: str) -> str:
    # metaphone reads English spelling; a Spanish "hu" before a vowel is a "w" (Chihuahua)
    return re.sub(r"hu(?=[aeiou])", "w", word)


@functools.cache
def _phonetics() -> tuple[Callable[[str], str], Callable[[str], str]]:
    import jellyfish  # only once a word is not known: keeps the app's import quick

    return (lambda word: jellyfish.metaphone(_spoken(word))), jellyfish.soundex


class Speller:
    """Corrects words into the nearest of ``words`` ({word: what it is read as}), unless ``known``."""

    def __init__(self, words: Mapping[str, Spelled], known: Callable[[str], bool]) -> None:
        self._words = {word: spelled for word, spelled in words.items() if word.isalpha()}
        self._known = known
        self._seen: dict[str, Spelled | None] = {}

    def knows(self, word: str) -> bool:
        """Whether ``word`` is one of this speller's own words: right as it is."""
        return word in self._words

    def correct(self, word: str) -> Spelled | None:
        """What ``word`` (lowercase) was meant to be, or None when it is right, known or near nothing."""
        if len(word) < MIN_LETTERS or word in self._words or not word.isalpha() or self._known(word):
            return None
        if word not in self._seen:
            if len(self._seen) >= MAX_REMEMBERED:
                self._seen.clear()
            best = self._index.nearest(word)
            self._seen[word] = self._words[best] if best else None
        return self._seen[word]

    @functools.cached_property
    def _index(self) -> _Index:
        return _Index(self._words)


class _Index:
    """The words of a speller, ready to be searched by letters and by sound (built on first use)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(words)
        metaphone, _ = _phonetics()
        self.sounds = {word: metaphone(word) for word in self.words}
        self.by_letters: dict[str, list[str]] = {}
        self.by_sound: dict[str, list[str]] = {}
        for word in self.words:
            self.by_letters.setdefault(collapsed(word), []).append(word)
            self.by_sound.setdefault(self.sounds[word], []).append(word)

    def nearest(self, word: str) -> str | None:
        """The word ``word`` is nearest to by the rules of this module, if any."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        sound = _phonetics()[0](word)
        found = {key: OSA.distance(word, key) for key in self.by_letters.get(collapsed(word), ())}
        for key, distance, _ in process.extract(
            word, self.words, scorer=OSA.distance, score_cutoff=3, limit=None
        ):
            found.setdefault(key, int(distance))
        if len(word) >= ONE_EDIT_FROM and len(sound) >= MIN_SOUNDS:
            for key in self.by_sound.get(sound, ()):
                found.setdefault(key, OSA.distance(word, key))
        # nearest: the same letters first, then the fewest edits, the same sound, the closest length
        fits = [
            (
                collapsed(key) != collapsed(word),
                distance,
                self.sounds[key] != sound,
                abs(len(key) - len(word)),
                key,
            )
            for key, distance in found.items()
            if self._fits(word, sound, key, distance)
        ]
        return min(fits)[-1] if fits else None

    def _fits(self, word: str, sound: str, key: str, distance: int) -> bool:
        from rapidfuzz.distance import OSA

        if collapsed(key) == collapsed(word) or (distance == 1 and sorted(key) == sorted(word)):
            return True
        if len(word) < ONE_EDIT_FROM or key[0] != word[0]:
            return False
        if distance == 1:
            return True
        alike = (self.sounds[key] == sound, _phonetics()[1](key) == _phonetics()[1](word))
        if distance == 2:
            return all(alike) or (len(word) >= TWO_EDITS_FROM and any(alike))
        if distance == 3 and len(word) >= THREE_EDITS_FROM and alike[1]:
            return OSA.distance(self.sounds[key], sound) <= 1
        close = distance <= len(key) // 2 and abs(len(key) - len(word)) <= 2
        return all(alike) and close and len(word) >= SOUNDS_FROM
