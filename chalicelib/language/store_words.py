"""The store's own words: the types and breeds it holds, beside the vocabulary's, for reading questions.

The keyword parser finds the store's breeds and types in a question with them, and a model's
filters are put in the store's spelling with them ("labrador" is the store's "Labrador Retriever";
"spaniels" are every spaniel the store has).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chalicelib.domain.english import plural
from chalicelib.domain.filters import MAX_CHOICES, PetFilters
from chalicelib.domain.selection import breed_key
from chalicelib.domain.stock import Stock
from chalicelib.language import vocabulary as vocab
from chalicelib.language.vocabulary import Speller, folded
from chalicelib.language.vocabulary.known_words import is_known, spelled_breeds, spelled_kinds, spelled_words

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class StoreWords:
    """Types and breeds the store holds: ``breeds`` maps each breed's key to its spelling and type."""

    types: frozenset[str] = frozenset()
    breeds: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, stock: Stock) -> StoreWords:
        names, kinds = stock.breed_names(), stock.breed_types()
        return cls(frozenset(stock.types), {key: (names[key], kinds.get(key)) for key in names})

    @classmethod
    def with_breeds(cls, breeds: Iterable[str]) -> StoreWords:
        """Breeds without types (what the store's type of each is, the vocabulary may still say)."""
        spelled = {breed_key(b): " ".join(b.split()) for b in breeds if isinstance(b, str) and b.strip()}
        return cls(frozenset(), {key: (spelling, None) for key, spelling in spelled.items()})

    @functools.cached_property
    def breed_types(self) -> dict[str, str]:
        """The type of every breed the store or the vocabulary knows, by breed key."""
        known = {breed_key(name): kind for name, (kind, _) in vocab.BREEDS.items()}
        known.update({key: kind for key, (_, kind) in self.breeds.items() if kind})
        return known

    @functools.cached_property
    def _by_last_word(self) -> dict[str, tuple[str, ...]]:
        by_last: dict[str, list[str]] = {}
        for spelling, _ in self.breeds.values():
            parts = folded(spelling).replace("-", " ").split()
            if len(parts) > 1:
                by_last.setdefault(parts[-1], []).append(spelling)
        return {word: tuple(sorted(names, key=str.casefold)) for word, names in by_last.items()}

    @functools.cached_property
    def breed_phrases(self) -> dict[str, str]:
        """{how a breed is written, folded: the store's spelling}: the store's breeds, then every
        alias the vocabulary knows (in the store's spelling where it has the breed)."""
        phrases: dict[str, str] = {}
        for spelling, _ in self.breeds.values():
            # a breed the store names after a type ("Fish") does not hide the type
            if folded(spelling) not in vocab.TYPE_NAMES:
                phrases.setdefault(folded(spelling), spelling)
        for alias, canonical in vocab.BREED_ALIASES.items():
            phrases.setdefault(alias, self.spelling(canonical))
        return phrases

    @functools.cached_property
    def breed_phrase_list(self) -> tuple[str, ...]:
        return tuple(sorted(self.breed_phrases))

    @functools.cached_property
    def own_types(self) -> tuple[str, ...]:
        """The store's types the vocabulary does not know ("alpaca")."""
        return tuple(sorted(kind for kind in self.types if vocab.canonical_type(kind) is None))

    @functools.cached_property
    def own_type_phrases(self) -> dict[str, str]:
        """{the store's own type, or its plural as answers write it ("geese"): the type}, sorted."""
        phrases = {phrase: kind for kind in self.own_types for phrase in (kind, plural(kind))}
        return dict(sorted(phrases.items()))

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """Every word of the store's breeds and types: none is ever a typo of a vocabulary word."""
        phrases = (*(spelling for spelling, _ in self.breeds.values()), *self.types)
        return frozenset(word for phrase in phrases for word in _WORD.findall(folded(phrase)))

    @functools.cached_property
    def speller(self) -> Speller:
        """The store's breeds and types, for reading misspellings: they win over the vocabulary's."""
        breeds = ((spelling, (folded(spelling),)) for spelling, _ in self.breeds.values())
        kinds = (*self.types, *(plural(kind) for kind in self.types))
        return Speller(spelled_words((*spelled_kinds(kinds), *spelled_breeds(breeds))), is_known)

    def spelling(self, breed: str) -> str:
        """``breed`` as the store spells it (under any name the vocabulary knows it by: a store's
        "Budgerigar" is the "budgie"), or as the vocabulary does, or as given."""
        key = breed_key(breed)
        if key in self.breeds:
            return self.breeds[key][0]
        canonical = vocab.BREED_ALIASES.get(folded(breed))
        if not canonical:
            return " ".join(breed.split())
        for name in (canonical, *vocab.BREEDS[canonical][1]):
            if breed_key(name) in self.breeds:
                return self.breeds[breed_key(name)][0]
        return canonical

    def family(self, word: str) -> tuple[str, ...]:
        """The store's breeds whose last word is ``word`` or its plural ("terriers": every terrier)."""
        for candidate in (word, vocab.singular(word), word.removesuffix("s")):
            if candidate in self._by_last_word:
                return self._by_last_word[candidate][:MAX_CHOICES]
        return ()

    def kind(self, word: str) -> str | None:
        """The type ``word`` names: the vocabulary's, else one of the store's own ("alpacas")."""
        kind = vocab.canonical_type(word)
        if kind:
            return kind
        text = folded(word)
        for candidate in (text, vocab.singular(text)):
            if candidate in self.types:
                return candidate
        return None

    def in_stock(self, context: PetFilters) -> PetFilters:
        """``context`` without the kinds and breeds the store does not stock: an earlier answer about
        ponies, or a word that was no kind, does not become the subject of the next turn (a store
        whose types or breeds are not known keeps them all)."""
        types = [kind for kind in context.any_types if not self.types or kind in self.types]
        breeds = [b for b in context.any_breeds if not self.breeds or breed_key(b) in self.breeds]
        if len(types) == len(context.any_types) and len(breeds) == len(context.any_breeds):
            return context
        data = context.model_dump(exclude={"type_filter", "breed"})
        return PetFilters.model_validate(
            {**data, "types": tuple(types) or None, "breeds": tuple(breeds) or None}
        )

    def resolve(self, filters: PetFilters) -> PetFilters:
        """A model's ``filters`` in the store's words: its types, its breed spellings, its families.

        A breed brings its type in ("poodles" are dogs), as the keyword parser reads it too.
        """
        breeds = self._breeds(filters.any_breeds)
        implied = tuple(kind for breed in breeds if (kind := self.breed_types.get(breed_key(breed))))
        data = filters.model_dump(exclude_none=True, exclude={"type_filter", "breed"})
        data.update(
            types=(*self._types(filters.any_types), *implied) or None,
            breeds=breeds or None,
            exclude_types=self._types(filters.exclude_types or ()) or None,
            exclude_breeds=self._breeds(filters.exclude_breeds or ()) or None,
        )
        return PetFilters.model_validate(data)

    def _types(self, values: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.kind(value) or vocab.singular(folded(value)) for value in values)

    def _breeds(self, values: Iterable[str]) -> tuple[str, ...]:
        found: list[str] = []
        for value in values:
            family = self.family(folded(value)) if breed_key(value) not in self.breeds else ()
            found.extend(family or (self.spelling(value),))
        return tuple(dict.fromkeys(found))[:MAX_CHOICES]


@functools.lru_cache(maxsize=2)
def store_words(stock: Stock) -> StoreWords:
    """The store's words for one read of the stock: worked out once, not per question."""
    return StoreWords.of(stock)
