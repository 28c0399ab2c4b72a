"""What the store holds: how many pets of each type and of each breed, as the store spells them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.selection import Source, breed_key


@dataclass(frozen=True, eq=False)
class Stock:
    """Counts of pets by type and by (type, breed); kept current as pets are added.

    Each read of the stock is its own object (compared and hashed by identity), so what is worked
    out from one read can be cached until the next.
    """

    types: Mapping[str, int] = field(default_factory=dict)
    breeds: Mapping[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def of(cls, pets: Iterable[Mapping[str, Any]]) -> Stock:
        """The stock of ``pets`` (each with a ``type`` and a ``breed``)."""
        types: dict[str, int] = {}
        breeds: dict[tuple[str, str], int] = {}
        for pet in pets:
            kind, breed = str(pet["type"]), str(pet["breed"])
            types[kind] = types.get(kind, 0) + 1
            breeds[(kind, breed)] = breeds.get((kind, breed), 0) + 1
        return cls(types, breeds)

    def type_names(self) -> list[str]:
        """The types in stock, the best stocked first."""
        return [kind for kind, count in sorted(self.types.items(), key=lambda kv: (-kv[1], kv[0])) if count]

    def breed_names(self) -> dict[str, str]:
        """Each breed in stock, by its key, as it is most often spelled."""
        return self._commonest(lambda kind, breed: breed)

    def breed_types(self) -> dict[str, str]:
        """The type each breed in stock belongs to, by breed key (the commonest, when shared)."""
        return self._commonest(lambda kind, breed: kind)

    def stocked(self, found: Iterable[Source]) -> tuple[Source, ...]:
        """The sources of ``found`` the store has pets of: a kind or breed it lacks needs no read."""
        return tuple(source for source in found if self.holds(source))

    def holds(self, source: Source) -> bool:
        """Whether the store has pets of ``source``: a kind or breed it lacks needs no read."""
        if source.kind == "type":
            return self.types.get(source.value, 0) > 0
        if source.kind == "breed":
            kinds = source.of_types
            return any(
                count > 0 and breed_key(breed) == source.value and (not kinds or kind in kinds)
                for (kind, breed), count in self.breeds.items()
            )
        return True

    def _commonest(self, value: Callable[[str, str], str]) -> dict[str, str]:
        best: dict[str, tuple[int, str]] = {}
        for (kind, breed), count in self.breeds.items():
            key = breed_key(breed)
            if count and (key not in best or count > best[key][0]):
                best[key] = (count, value(kind, breed))
        return {key: chosen for key, (_, chosen) in best.items()}
