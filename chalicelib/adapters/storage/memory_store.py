"""Pets in a dict: the in-memory twin of the DynamoDB store, for the service's unit tests and the
offline evaluation. The shared contract tests hold both to the same answers."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from chalicelib.adapters.storage.pet_store import Found, Page, Positions, ReadBudget
from chalicelib.domain.errors import NotFound
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.pets import PUBLIC_FIELDS, NewPet, public_pet
from chalicelib.domain.selection import Source, order_of, takes_in
from chalicelib.domain.stock import Stock

_AT = "at"  # the one stream of a page: where it goes on


class MemoryPetStore:
    """The pets of :class:`PetStore` in memory. Reads charge the budget what the DynamoDB store's
    indexes would about read: the pets handed out, and one more when there are more."""

    def __init__(self, pets: Iterable[Mapping[str, Any]] = ()) -> None:
        self._pets: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.keep(pets)

    def keep(self, pets: Iterable[Mapping[str, Any]]) -> int:
        """Keeps pets that already have ids (seed data, a test's pets)."""
        count = 0
        with self._lock:
            for pet in pets:
                self._pets[str(pet["id"])] = _stored(pet)
                count += 1
        return count

    def add(self, pet: NewPet) -> dict[str, Any]:
        item = _stored(pet.with_id())
        with self._lock:
            self._pets[item["id"]] = item
        return public_pet(item)

    def get(self, pet_id: str) -> dict[str, Any]:
        item = self._pets.get(pet_id)
        if item is None:
            raise NotFound(f"No pet has the id {pet_id!r}.")
        return public_pet(item)

    def listing(self, limit: int, start: Mapping[str, Any] | None = None) -> Page:
        after = str(start["id"]) if start else ""
        ids = sorted(pet_id for pet_id in self._pets if pet_id > after)
        page = ids[:limit]
        last_key = {"id": page[-1]} if len(ids) > limit else None
        return Page([public_pet(self._pets[pet_id]) for pet_id in page], last_key, len(page) + bool(last_key))

    def stock(self) -> Stock:
        return Stock.of(self._snapshot())

    def existing_names(self, candidates: Iterable[str], budget: ReadBudget) -> list[str]:
        names = {str(pet["name"]).casefold(): str(pet["name"]) for pet in self._snapshot()}
        found = []
        for candidate in candidates:
            if not budget.left:
                break
            name = names.get(candidate.casefold())
            if name is not None:
                budget.charge(1)
                found.append(name)
        return found

    def query(
        self, filters: PetFilters, sources: Iterable[Source], limit: int, positions: Positions | None = None,
        budget: ReadBudget | None = None,
    ) -> Found:  # fmt: skip
        budget = budget or ReadBudget()
        if positions is not None and _AT not in positions:
            return Found([], None, 0)
        if not budget.left:
            return Found([], dict(positions or {_AT: {}}), 0, cut_short=True)
        found = tuple(sources)
        order = order_of(filters)

        def key(pet: Mapping[str, Any]) -> tuple[Decimal, str]:
            value = Decimal(str(pet[order.field]))
            return (-value if order.descending else value, str(pet["id"]))

        pets = sorted((pet for pet in self._snapshot() if takes_in(pet, filters, found)), key=key)
        at = (positions or {}).get(_AT)
        if at:
            mark = key(at)
            pets = [pet for pet in pets if key(pet) > mark]
        page, more = pets[:limit], len(pets) > limit
        read = len(page) + more
        budget.charge(read)
        left = {_AT: {"id": page[-1]["id"], order.field: page[-1][order.field]}} if more and page else None
        return Found([public_pet(pet) for pet in page], left, read)

    def _snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._pets.values())


def _stored(pet: Mapping[str, Any]) -> dict[str, Any]:
    # Numbers as DynamoDB hands them back: Decimal.
    return {
        name: Decimal(str(pet[name])) if name in ("age", "price") else pet[name] for name in PUBLIC_FIELDS
    }
