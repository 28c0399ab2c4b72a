"""Carried constraints that never dead-end a conversation.

When the filters carried from an earlier turn make an answer empty while what this turn said finds
pets, the carried constraints are dropped, as few as needed and the least important first: the
price, then the age, then the kinds left out, the breeds, the kinds, the name (the order a
constraint was said in is not known: a context is one set of filters). A constraint said in this
very turn is never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Final

from chalicelib.domain.filters import PetFilters

# What can be dropped, least important first, each as the fields that go together.
GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    ("min_price", "max_price"),
    ("min_age", "max_age"),
    ("exclude_types", "exclude_breeds"),
    ("breed", "breeds"),
    ("type_filter", "types"),
    ("name",),
)


@dataclass(frozen=True)
class Relaxed:
    """The filters an answer used instead, and the fields it dropped (sorted)."""

    filters: PetFilters
    dropped: tuple[str, ...]


def carried_groups(filters: PetFilters, said: frozenset[str]) -> list[tuple[str, ...]]:
    """The groups of ``filters`` wholly carried from the context: present, and none of their
    fields said by this turn."""
    present = set(filters.applied())
    return [group for group in GROUPS if present & set(group) and not present & set(group) & said]


def relax(filters: PetFilters, said: frozenset[str], finds: Callable[[PetFilters], bool]) -> Relaxed | None:
    """The filters with the fewest carried groups dropped that ``finds`` pets, or None when none
    do (or what this turn said finds nothing by itself)."""
    groups = carried_groups(filters, said)
    everything = tuple(groups)
    if not groups or not finds(_without(filters, everything)):
        return None
    present = set(filters.applied())
    for dropped in _fewest_first(groups):
        # dropping every carried group is known to find pets: it was checked first
        if dropped == everything or finds(_without(filters, dropped)):
            names = (name for group in dropped for name in group)
            return Relaxed(_without(filters, dropped), tuple(sorted(n for n in names if n in present)))
    return None  # not reached: the last try drops every group


def _fewest_first(groups: list[tuple[str, ...]]) -> Iterator[tuple[tuple[str, ...], ...]]:
    # One group at a time in order, then pairs in order, ...; the last is every group.
    for size in range(1, len(groups) + 1):
        yield from combinations(groups, size)


def _without(filters: PetFilters, groups: tuple[tuple[str, ...], ...]) -> PetFilters:
    names = (name for group in groups for name in group)
    return PetFilters.model_validate({**filters.model_dump(), **dict.fromkeys(names)})
