"""Types and breeds named in a question, where they stand, and what each means.

* Breeds: the store's, then the vocabulary's, whole words, plural allowed; the store's spelling
  wins, and the longest name wins where two start together ("corn snakes" is the breed, not snakes).
  A breed brings its type in (the store's type for it, else the vocabulary's).
* A breed family, the last word of the store's breed names ("terriers", "spaniels"), names every
  such breed in stock. A type word that is not the type's own name ("canaries", "geckos") names the
  store's breed of that name, or its family, when the store has one.
* Types: words, plurals, synonyms, Spanish and French words and pet emoji, a typo one edit away for
  words of 5+ letters, and types only the store has ("alpacas"). A word for several types at once
  ("reptiles", "rodents", "small pets") names each of them.
* Animals the store does not sell ("unicorns", "ponies") are kinds too: a question about them
  finds none of the others.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Literal

from chalicelib.language import vocabulary as vocab
from chalicelib.language.parser.question_text import Marked, alternation
from chalicelib.language.store_words import StoreWords
from chalicelib.language.vocabulary import folded

MentionKind = Literal["type", "breed", "other"]


@dataclass(frozen=True)
class Mention:
    """A kind of pet named at ``start``..``end``: a type, breeds (of ``kind_of``), or another animal."""

    start: int
    end: int
    kind: MentionKind
    values: tuple[str, ...]
    kind_of: str | None = None
    words: str = ""


def read_kinds(text: Marked, store: StoreWords) -> list[Mention]:
    """Every type and breed named in ``text``, in order; their words are used."""
    mentions: list[Mention] = []
    for finder in (_breeds, _families, _groups, _types, _store_types, _other_animals):
        for mention in finder(text.rest, store):
            mentions.append(replace(mention, words=text.text[mention.start : mention.end]))
            text.use(mention.start, mention.end)
    return sorted(mentions, key=lambda mention: mention.start)


def read_emoji(raw: str) -> list[Mention]:
    """Pet emoji in the question as written: each a type wanted (they have no place in ``text``)."""
    return [Mention(-1, -1, "type", (vocab.EMOJI_TYPES[ch],)) for ch in raw if ch in vocab.EMOJI_TYPES]


def _breeds(rest: str, store: StoreWords) -> list[Mention]:
    found: list[Mention] = []
    for match in _phrase_pattern(store.breed_phrase_list).finditer(rest):
        breed = store.breed_phrases[match.group("key")]
        found.append(Mention(match.start(), match.end(), "breed", (breed,), _breed_kind(breed, store)))
    return found


def _families(rest: str, store: StoreWords) -> list[Mention]:
    found: list[Mention] = []
    for match in _WORDS.finditer(rest):
        word = match.group(0)
        if word in vocab.TYPE_NAMES:
            continue
        breeds = store.family(word)
        if not breeds and word in vocab.TYPE_WORDS:
            # "canaries": a type's other word that is a breed the store has
            breeds = tuple(
                spelling
                for spelling, _ in store.breeds.values()
                if folded(spelling) in (word, vocab.singular(word))
            )
        if breeds:
            kinds = {_breed_kind(breed, store) for breed in breeds}
            kind = kinds.pop() if len(kinds) == 1 else None
            found.append(Mention(match.start(), match.end(), "breed", breeds, kind))
    return found


def _groups(rest: str, store: StoreWords) -> list[Mention]:
    return [
        Mention(m.start(), m.end(), "type", vocab.KIND_GROUPS[m.group("key")])
        for m in _phrase_pattern(tuple(sorted(vocab.KIND_GROUPS))).finditer(rest)
    ]


def _types(rest: str, store: StoreWords) -> list[Mention]:
    found = [
        Mention(m.start(), m.end(), "type", (_type_phrases()[m.group(0)],))
        for m in _type_phrase_pattern().finditer(rest)
    ]
    taken = {m.start for m in found}
    for match in _WORDS.finditer(rest):
        kind = vocab.TYPE_WORDS.get(match.group(0))
        if match.group(0) in ("kit", "kits") and _GEAR_BEFORE.search(rest, 0, match.start()):
            continue
        if kind and match.start() not in taken:
            found.append(Mention(match.start(), match.end(), "type", (kind,)))
    return found


def _store_types(rest: str, store: StoreWords) -> list[Mention]:
    if not store.own_types:
        return []
    phrases = store.own_type_phrases
    return [
        Mention(m.start(), m.end(), "type", (phrases[m.group("key")],))
        for m in _phrase_pattern(tuple(phrases)).finditer(rest)
    ]


def _other_animals(rest: str, store: StoreWords) -> list[Mention]:
    found: list[Mention] = []
    for match in _WORDS.finditer(rest):
        word = match.group(0)
        kind = vocab.singular(word)
        if kind in vocab.OTHER_ANIMALS or word in vocab.OTHER_ANIMALS:
            kind = kind if kind in vocab.OTHER_ANIMALS else word
            found.append(Mention(match.start(), match.end(), "other", (kind,)))
    return found


def _breed_kind(breed: str, store: StoreWords) -> str | None:
    return store.breed_types.get(breed.casefold())


_WORDS = re.compile(r"(?<![a-z0-9])[a-z]+(?:-[a-z]+)*(?![a-z0-9])")
# "a starter kit", "grooming kits": gear, not young rabbits
_GEAR_BEFORE = re.compile(
    r"(?:starter|care|grooming|cleaning|tank|aquarium|cage|habitat|hutch|feeding|food|toy|training|travel"
    r"|test|testing|litter|health|first[- ]aid|bedding|supply|supplies|repair|tool|drum|sewing)\s+$"
)


@functools.cache
def _type_phrases() -> dict[str, str]:
    return {
        **{w: k for w, k in vocab.TYPE_WORDS.items() if " " in w or "'" in w},
        **vocab.FRENCH_PHRASES,
    }


@functools.cache
def _type_phrase_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z])(?:{alternation(_type_phrases())})(?![a-z])")


@functools.lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # cached per phrase list: the vocabulary's and a store's breeds are compiled once, not per question
    return re.compile(rf"(?<![a-z])(?P<key>{alternation(phrases)})(?:s|es)?(?![a-z])")
