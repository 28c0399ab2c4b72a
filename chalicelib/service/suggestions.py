"""Empty answers that help: questions that each relax one thing and are known to find pets.

In order: widen the price to the nearest pet, drop the age bound, drop the breed (keeping the
type), drop the name, drop the kinds left out, drop a kind the store does not have. Each is
checked by a small bounded read, and each is said as a question the keyword parser reads back to
exactly its filters, so asking it as it is finds what it promises.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chalicelib.adapters.storage import PetStore, ReadBudget
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.selection import sources
from chalicelib.domain.summary import Nearest
from chalicelib.language.parser import read
from chalicelib.language.phrasing import question
from chalicelib.language.store_words import StoreWords

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 3
# Items each check may read: a suggestion that needs more to prove itself is not offered.
CHECK_BUDGET = 100


@dataclass(frozen=True)
class Suggestion:
    """A question to ask instead, and the filters it reads as."""

    query: str
    filters: PetFilters

    def body(self) -> dict[str, Any]:
        return {"query": self.query, "filters": self.filters.applied()}


@dataclass(frozen=True)
class Help:
    suggestions: tuple[Suggestion, ...]
    nearest: Nearest | None
    items_read: int


class Suggester:
    """Finds what an empty answer could ask instead, reading at most a little per idea."""

    def __init__(self, store: PetStore, words: StoreWords, deadline: Deadline | None = None) -> None:
        self._store = store
        self._words = words
        self._deadline = deadline
        self._read = 0

    def help(self, filters: PetFilters, stocked: list[str]) -> Help:
        """Up to MAX_SUGGESTIONS questions for ``filters``, which found nothing, and the nearest pet.

        ``stocked`` lists the types in stock, the best stocked first.
        """
        found: list[Suggestion] = []
        nearest = None
        for relaxed, close in self._ideas(filters, stocked):
            if len(found) == MAX_SUGGESTIONS:
                break
            nearest = nearest or close
            suggestion = self._offer(relaxed)
            if suggestion and suggestion.filters not in [s.filters for s in found]:
                found.append(suggestion)
        return Help(tuple(found), nearest, self._read)

    def _ideas(self, filters: PetFilters, stocked: list[str]) -> Iterator[tuple[PetFilters, Nearest | None]]:
        widened = self._widen_price(filters)
        if widened:
            yield widened
        if filters.min_age is not None or filters.max_age is not None:
            yield _without(filters, "min_age", "max_age"), None
        if filters.any_breeds:
            yield _without(filters, "breed", "breeds"), None
        if filters.name and (filters.any_types or filters.any_breeds):
            # "Luna the dog", when Luna is a cat
            yield _without(filters, "type_filter", "types", "breed", "breeds"), None
        if filters.name:
            yield _without(filters, "name"), None
        if filters.exclude_types or filters.exclude_breeds:
            yield _without(filters, "exclude_types", "exclude_breeds"), None
        if any(kind not in stocked for kind in filters.any_types):
            # a kind the store does not have: the same question about the kinds it has most of
            kept = _without(filters, "type_filter", "types", "breed", "breeds")
            for kind in stocked:
                yield kept.model_copy(update={"type_filter": kind}), None

    def _widen_price(self, filters: PetFilters) -> tuple[PetFilters, Nearest] | None:
        """A bound on price moved to the nearest pet the rest of the filters find: above the upper
        bound first, else below the lower one."""
        for bound, beyond, order, above in (
            ("max_price", "min_price", SortBy.PRICE_ASC, True),
            ("min_price", "max_price", SortBy.PRICE_DESC, False),
        ):
            limit = getattr(filters, bound)
            if limit is None:
                continue
            probe = _without(filters, bound).model_copy(update={beyond: limit, "sort_by": order})
            pet = self._first(probe)
            if pet is not None:
                price = Decimal(str(pet["price"]))
                return filters.model_copy(update={bound: price}), Nearest("price", above, price)
        return None

    def _first(self, filters: PetFilters) -> dict[str, Any] | None:
        budget = ReadBudget(items=CHECK_BUDGET, deadline=self._deadline)
        found = self._store.query(filters, sources(filters, self._words.breed_types), 1, budget=budget)
        self._read += found.items_read
        return found.pets[0] if found.pets else None

    def _offer(self, relaxed: PetFilters) -> Suggestion | None:
        relaxed = PetFilters.model_validate(relaxed.model_dump())
        text = question(relaxed, self._words)
        names = [relaxed.name] if relaxed.name else []
        if read(text, self._words, names).filters != relaxed:
            log.warning("A suggestion does not read back as its filters: %r", text)
            return None
        if self._first(relaxed) is None:
            return None
        return Suggestion(text, relaxed)


def _without(filters: PetFilters, *names: str) -> PetFilters:
    return filters.model_copy(update=dict.fromkeys(names))
