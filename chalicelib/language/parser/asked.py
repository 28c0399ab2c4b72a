"""What one question says on its own, before any earlier answer it may follow up on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import ValidationError

from chalicelib.domain.filters import MAX_CHOICES, PetFilters, SortBy
from chalicelib.language.parser.cues import Cue
from chalicelib.language.parser.kind_mentions import Mention
from chalicelib.language.parser.wanted_kinds import Wanted


@dataclass(frozen=True)
class Asked:
    """The kinds a question wants and leaves out, its bounds, order and name, and its follow-up cues."""

    types: tuple[str, ...] = ()
    breeds: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    exclude_breeds: tuple[str, ...] = ()
    bounds: dict[str, Decimal] = field(default_factory=dict)
    order: SortBy | None = None
    name: str | None = None
    cues: frozenset[Cue] = frozenset()
    names_pets: bool = False

    @classmethod
    def of(
        cls,
        wanted: Wanted,
        bounds: dict[str, Decimal],
        order: SortBy | None,
        name: str | None,
        cues: frozenset[Cue],
        names_pets: bool,
    ) -> Asked:
        return cls(
            types=_distinct(kind for m in wanted.wanted for kind in _types(m)),
            breeds=_distinct(value for m in wanted.wanted if m.kind == "breed" for value in m.values),
            exclude_types=_distinct(
                value for m in wanted.left_out if m.kind != "breed" for value in m.values
            ),
            exclude_breeds=_distinct(
                value for m in wanted.left_out if m.kind == "breed" for value in m.values
            ),
            bounds=bounds,
            order=order,
            name=name,
            cues=cues,
            names_pets=names_pets,
        )

    @property
    def has_subject(self) -> bool:
        """Whether it says what to look for: kinds, a name, or pets in general."""
        return bool(self.types or self.breeds or self.name or self.names_pets)

    def filters(self) -> PetFilters:
        """The filters of this question alone."""
        return filters_of(
            {
                "types": self.types,
                "breeds": self.breeds,
                "exclude_types": self.exclude_types,
                "exclude_breeds": self.exclude_breeds,
                "name": self.name,
                "sort_by": self.order,
                **self.bounds,
            }
        )


def filters_of(fields: dict[str, object]) -> PetFilters:
    """PetFilters of ``fields``, lists cut to what a filter may hold; empty filters if still invalid."""
    data = {
        key: (tuple(value)[:MAX_CHOICES] or None) if isinstance(value, (tuple, list)) else value
        for key, value in fields.items()
    }
    try:
        return PetFilters.model_validate(data)
    except ValidationError:
        return PetFilters()


def _types(mention: Mention) -> tuple[str, ...]:
    if mention.kind == "breed":
        return (mention.kind_of,) if mention.kind_of else ()
    return mention.values


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
