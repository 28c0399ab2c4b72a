"""Follow-ups: a question read against the filters of the answer it follows (its ``context``).

The rules, in order:

1. "start over", "forget that", "never mind", "new search", "instead" start fresh; so does a
   complete new question: one that says what it wants (a kind, a name, or pets in general) with a
   verb of asking ("show me cats", "do you have rabbits?") and no follow-up word ("just", "also",
   "how about", "those", ...).
2. A pet's name asks about that pet: only the order is kept.
3. New kinds replace the kinds ("how about rabbits?"), keeping price, age and order; "also", "too"
   and "as well" add them instead ("cats too"); breeds of a type already asked for narrow it
   ("just the poodles" after "dogs"). Kinds left out are added to those left out ("not the beagles")
   and taken from those wanted.
4. A new bound on price or age replaces the old bound on that side ("no, under $250"), and drops
   the other side if the two would cross; a new range replaces both. "young", "senior" and "baby"
   are bounds too ("just the young ones").
5. A new order replaces the order ("sort them by price").
6. "any price", "any age", "any breed", "any kind" let go of that field.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

from chalicelib.domain.filters import PetFilters
from chalicelib.language.parser.asked import Asked, Cue, filters_of
from chalicelib.language.parser.text import Marked
from chalicelib.language.store_words import StoreWords
from chalicelib.language.vocabulary import talk

_STARTS_WITH = r"^\W*(?:and|but|now|then|so|also|plus|ok|okay|hmm|well)\b|^\W*no\s*[,.!;:]"


@functools.cache
def _cue_patterns() -> dict[Cue, re.Pattern[str]]:
    def words(pattern: str) -> re.Pattern[str]:
        return re.compile(rf"(?<![a-z'])(?:{pattern})(?![a-z'])")

    return {
        "start_over": words(talk.START_OVER),
        "also": words(talk.ALSO),
        "only": words(talk.ONLY),
        "refine": re.compile(rf"{_STARTS_WITH}|(?<![a-z])(?:{talk.REFINE})(?![a-z])"),
        "any_price": words(talk.ANY_PRICE),
        "any_age": words(talk.ANY_AGE),
        "any_breed": words(talk.ANY_BREED),
        "any_kind": words(talk.ANY_KIND),
    }


_ASKING = re.compile(rf"(?<![a-z'])(?:{talk.ASKING})(?![a-z'])")


def read_cues(text: Marked) -> frozenset[Cue]:
    """The follow-up cues in ``text``; their words are used (they are never "unmatched")."""
    found: set[Cue] = set()
    for cue, pattern in _cue_patterns().items():
        for match in pattern.finditer(text.rest):
            found.add(cue)
            text.use(match.start(), match.end())
    if _ASKING.search(text.rest):
        found.add("asking")
    return frozenset(found)


def follow_up(asked: Asked, context: PetFilters, store: StoreWords) -> PetFilters | None:
    """The filters of ``asked`` read as a follow-up of ``context``; None when it starts fresh."""
    if _starts_fresh(asked):
        return None
    if asked.name:
        return filters_of({"name": asked.name, "sort_by": asked.order or context.sort_by, **asked.bounds})
    fields: dict[str, Any] = context.model_dump(exclude_none=True)
    _kinds(fields, asked, context, store)
    for side in ("price", "age"):
        _bounds(fields, side, asked.bounds)
    for cue, names in (
        ("any_price", ("min_price", "max_price")),
        ("any_age", ("min_age", "max_age")),
        ("any_breed", ("breed", "breeds", "exclude_breeds")),
        ("any_kind", ("type_filter", "types", "exclude_types", "breed", "breeds", "exclude_breeds")),
    ):
        if cue in asked.cues:
            for name in names:
                fields.pop(name, None)
    if asked.order:
        fields["sort_by"] = asked.order
    return filters_of(fields)


def _starts_fresh(asked: Asked) -> bool:
    if "start_over" in asked.cues:
        return True
    follow_words = {"also", "only", "refine", "any_price", "any_age", "any_breed", "any_kind"}
    return asked.has_subject and "asking" in asked.cues and not asked.cues & follow_words


def _kinds(fields: dict[str, Any], asked: Asked, context: PetFilters, store: StoreWords) -> None:
    types, breeds = list(context.any_types), list(context.any_breeds)
    if asked.types or asked.breeds:
        new_types = [t for t in asked.types if t not in types]
        narrowing = not new_types and asked.breeds and types
        if "also" in asked.cues:
            types, breeds = [*types, *asked.types], [*breeds, *asked.breeds]
        elif narrowing:
            breeds = list(asked.breeds)
        else:
            types, breeds = list(asked.types), list(asked.breeds)
            fields.pop("name", None)
            fields["exclude_breeds"] = [
                b
                for b in fields.get("exclude_breeds", ())
                if store.breed_types.get(b.casefold()) in (None, *types)
            ]
        fields["exclude_types"] = [t for t in fields.get("exclude_types", ()) if t not in asked.types]
    left_out_types, left_out_breeds = set(asked.exclude_types), {b.casefold() for b in asked.exclude_breeds}
    fields["exclude_types"] = [*fields.get("exclude_types", ()), *asked.exclude_types]
    fields["exclude_breeds"] = [*fields.get("exclude_breeds", ()), *asked.exclude_breeds]
    fields["types"] = [t for t in types if t not in left_out_types]
    fields["breeds"] = [b for b in breeds if b.casefold() not in left_out_breeds]
    fields.pop("type_filter", None)
    fields.pop("breed", None)


def _bounds(fields: dict[str, Any], side: str, bounds: dict[str, Decimal]) -> None:
    low, high = f"min_{side}", f"max_{side}"
    if low in bounds and high in bounds:
        fields[low], fields[high] = bounds[low], bounds[high]
        return
    for new, other, crosses in ((low, high, _above), (high, low, _below)):
        if new in bounds:
            fields[new] = bounds[new]
            if other in fields and crosses(bounds[new], fields[other]):
                del fields[other]


def _above(value: Decimal, other: Any) -> bool:
    return value > Decimal(str(other))


def _below(value: Decimal, other: Any) -> bool:
    return value < Decimal(str(other))
