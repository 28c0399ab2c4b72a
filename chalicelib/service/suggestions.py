"""Empty answers that help: questions that each relax one thing and are known to find pets.

In order: widen the price to the nearest pet, drop the age bound, drop the breed (keeping the
type), drop the name, drop the kinds left out; then two of these at once; for a kind the store
does not have, the same question about the kinds it has most of, then those kinds alone. Each is
checked by a small read out of the request's one budget (or by the stock's counts, when it asks
only for kinds the store holds), and each is said as a question the keyword parser reads back to
exactly its filters, so asking it as it is finds what it promises.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any

from chalicelib.adapters.storage import PetStore, ReadBudget
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.selection import sources
from chalicelib.domain.stock import Stock
from chalicelib.domain.summary import Nearest
from chalicelib.language.parser import read
from chalicelib.language.phrasing import question
from chalicelib.language.store_words import StoreWords
from chalicelib.service.answers import MAX_SUGGESTIONS, Suggestion

log = logging.getLogger(__name__)

# Items one check may read: a suggestion that needs more to prove itself is not offered.
CHECK_BUDGET = 100
# What one idea may drop, each a group of fields that go together.
_DROPPABLE = (("min_age", "max_age"), ("breed", "breeds"), ("name",), ("exclude_types", "exclude_breeds"))
# Fields that make a question more than "these kinds": what the stock's counts cannot answer.
_NARROWING = ("name", "min_price", "max_price", "min_age", "max_age", "exclude_types", "exclude_breeds")


@dataclass(frozen=True)
class Help:
    suggestions: tuple[Suggestion, ...]
    nearest: Nearest | None


class Suggester:
    """Finds what an empty answer could ask instead, out of the request's read ``budget``."""

    def __init__(self, store: PetStore, words: StoreWords, stock: Stock, budget: ReadBudget) -> None:
        self._store = store
        self._words = words
        self._stock = stock
        self._budget = budget

    def help(self, filters: PetFilters) -> Help:
        """Up to MAX_SUGGESTIONS questions for ``filters``, which found nothing, and the nearest pet."""
        found: list[Suggestion] = []
        nearest = None
        for relaxed, close in self._ideas(filters):
            if len(found) == MAX_SUGGESTIONS or not self._budget.left:
                break
            nearest = nearest or close
            suggestion = self._offer(relaxed)
            if suggestion and suggestion.filters not in [s.filters for s in found]:
                found.append(suggestion)
        return Help(tuple(found), nearest)

    def _ideas(self, filters: PetFilters) -> Iterator[tuple[PetFilters, Nearest | None]]:
        yield from self._one_at_a_time(filters)
        yield from self._two_at_once(filters)
        stocked = self._stock.type_names()
        if any(kind not in stocked for kind in filters.any_types):
            # a kind the store does not have: the same question about the kinds it has most of,
            # then those kinds as they are
            kept = _without(filters, "type_filter", "types", "breed", "breeds")
            for kind in stocked:
                yield kept.model_copy(update={"type_filter": kind}), None
            for kind in stocked:
                yield PetFilters(type_filter=kind, sort_by=filters.sort_by), None

    def _one_at_a_time(self, filters: PetFilters) -> Iterator[tuple[PetFilters, Nearest | None]]:
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

    def _two_at_once(self, filters: PetFilters) -> Iterator[tuple[PetFilters, Nearest | None]]:
        # When no one thing is enough: the price widened as well as one thing dropped, or two dropped.
        droppable = [group for group in _DROPPABLE if any(getattr(filters, name) for name in group)]
        for group in droppable:
            widened = self._widen_price(_without(filters, *group))
            if widened:
                yield widened[0], None
        for first, second in combinations(droppable, 2):
            yield _without(filters, *first, *second), None

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
        if not self._budget.left:
            return None
        budget = self._budget.part(CHECK_BUDGET)
        found = self._store.query(filters, self._sources(filters), 1, budget=budget)
        return found.pets[0] if found.pets else None

    def _finds(self, filters: PetFilters) -> bool:
        streams = self._sources(filters)
        if streams and all(getattr(filters, name) is None for name in _NARROWING):
            return True  # only kinds the store holds: its counts say there are some
        return self._first(filters) is not None

    def _sources(self, filters: PetFilters) -> tuple[Any, ...]:
        return self._stock.stocked(sources(filters, self._words.breed_types))

    def _offer(self, relaxed: PetFilters) -> Suggestion | None:
        relaxed = PetFilters.model_validate(relaxed.model_dump())
        text = question(relaxed, self._words)
        names = [relaxed.name] if relaxed.name else []
        if read(text, self._words, names).filters != relaxed:
            log.warning("A suggestion does not read back as its filters: %r", text)
            return None
        if not self._finds(relaxed):
            return None
        return Suggestion(query=text, filters=relaxed)


def _without(filters: PetFilters, *names: str) -> PetFilters:
    return filters.model_copy(update=dict.fromkeys(names))
