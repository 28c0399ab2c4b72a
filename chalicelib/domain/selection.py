"""Which pets a question's filters take in: the pets of some types, of some breeds, or all of them.

Storage reads one stream per :class:`Source` and merges them in the question's order, so a
question reads about as many pets as it returns however many types or breeds it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from chalicelib.domain.filters import PetFilters, SortBy

SourceKind = Literal["all", "type", "breed"]


@dataclass(frozen=True, order=True)
class Source:
    """Pets of one type, of one breed (of the given types, when known), or all pets."""

    kind: SourceKind
    value: str = ""
    of_types: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A short name that tells this source from the others of one question."""
        return ":".join((self.kind, self.value, *self.of_types))


ALL = Source("all")


def breed_key(breed: str) -> str:
    """How a breed is matched and indexed: case does not count."""
    return breed.casefold()


def sources(filters: PetFilters, breed_types: Mapping[str, str]) -> tuple[Source, ...]:
    """The sources ``filters`` read; ``breed_types`` maps breed keys to the type each belongs to.

    A breed narrows the type it belongs to, and brings its type in ("poodles" are dogs); a type
    none of whose breeds is listed is read whole. A breed whose type is not known narrows the one
    type asked for, if exactly one was; otherwise it is read on its own, within the types asked for.
    """
    named = set(filters.any_types)
    if not named and not filters.any_breeds:
        return (ALL,)
    keys = {breed_key(breed) for breed in filters.any_breeds} - {
        breed_key(breed) for breed in filters.exclude_breeds or ()
    }
    only = next(iter(named)) if len(named) == 1 else None
    kinds = {key: breed_types.get(key) or only for key in keys}
    narrowed = {kind for kind in kinds.values() if kind}
    found = {Source("type", kind) for kind in named - narrowed}
    for key, kind in kinds.items():
        if kind:
            found.add(Source("breed", key, (kind,)))
        elif not named:
            found.add(Source("breed", key))
        elif named & narrowed:
            # Within the types read whole it is read already; it can only add to the narrowed ones.
            found.add(Source("breed", key, tuple(sorted(named & narrowed))))
    excluded = set(filters.exclude_types or ())
    return tuple(sorted(source for source in found if not _excluded(source, excluded)))


def _excluded(source: Source, excluded_types: set[str]) -> bool:
    if source.kind == "type":
        return source.value in excluded_types
    return bool(source.of_types) and set(source.of_types) <= excluded_types


def order_of(filters: PetFilters) -> SortBy:
    """The order a question's pets come in: the one asked for, else the bounded field's (price first)."""
    if filters.sort_by:
        return filters.sort_by
    if (filters.min_age is not None or filters.max_age is not None) and (
        filters.min_price is None and filters.max_price is None
    ):
        return SortBy.AGE_ASC
    return SortBy.PRICE_ASC


def in_source(pet: Mapping[str, Any], source: Source) -> bool:
    """Whether ``pet`` (its public fields) is one of ``source``'s pets."""
    if source.kind == "type":
        return bool(pet["type"] == source.value)
    if source.kind == "breed":
        return breed_key(str(pet["breed"])) == source.value and (
            not source.of_types or pet["type"] in source.of_types
        )
    return True


def takes_in(pet: Mapping[str, Any], filters: PetFilters, found: Iterable[Source]) -> bool:
    """Whether the question ``filters`` (read through ``found``) takes ``pet`` in: the meaning every
    store's reads must have."""
    if not any(in_source(pet, source) for source in found):
        return False
    if filters.name is not None and str(pet["name"]).casefold() != filters.name.casefold():
        return False
    if pet["type"] in (filters.exclude_types or ()):
        return False
    if breed_key(str(pet["breed"])) in {breed_key(b) for b in filters.exclude_breeds or ()}:
        return False
    return in_range(pet, filters, "price") and in_range(pet, filters, "age")


def in_range(pet: Mapping[str, Any], filters: PetFilters, field: str) -> bool:
    """Whether ``pet``'s ``field`` ("price" or "age") is within the bounds ``filters`` set on it."""
    value = Decimal(str(pet[field]))
    low, high = getattr(filters, f"min_{field}"), getattr(filters, f"max_{field}")
    return (low is None or value >= low) and (high is None or value <= high)


def kinds_asked(
    filters: PetFilters, breed_types: Mapping[str, str]
) -> list[tuple[str | None, tuple[str, ...]]]:
    """The kinds ``filters`` ask for, each type with the breeds listed for it: "cats or Beagle dogs"
    is [("cat", ()), ("dog", ("Beagle",))]; breeds of no known type come last, under None."""
    breeds = list(filters.any_breeds)
    only = filters.any_types[0] if len(filters.any_types) == 1 else None
    groups: list[tuple[str | None, tuple[str, ...]]] = []
    for kind in filters.any_types:
        own = tuple(b for b in breeds if (breed_types.get(breed_key(b)) or only) == kind)
        breeds = [b for b in breeds if b not in own]
        groups.append((kind, own))
    if breeds:
        groups.append((None, tuple(breeds)))
    return groups
