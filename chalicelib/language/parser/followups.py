"""Follow-ups: a question read against the filters of the answer it follows (its ``context``).

The rules, in order:

1. Kinds the store does not stock leave the context first: "do you have ponies?" and then
   "something under $50" asks for anything under $50.
2. "start over", "forget that", "never mind", "new search", "instead" start fresh, and so do "all
   pets", "everything" and "anything" ("anything under $50" is only that); so does a complete new
   question: one that says what it wants (a kind, a name, or pets in general) with a verb of asking
   ("show me cats", "do you have rabbits?") and no follow-up word ("just", "also", "how about", ...).
3. A pet's name asks about that pet: only the order is kept.
4. New kinds replace the kinds ("how about rabbits?"), keeping price, age and order; "also", "too"
   and "as well" add them instead ("cats too"); breeds of a type already asked for narrow it
   ("just the poodles" after "dogs"). Kinds left out are added to those left out, or replace them
   after a correction ("no, I meant no birds"), and are taken from those wanted.
5. A new bound on price or age replaces the old bound on that side ("no, under $250"), and drops
   the other side when it meets or crosses it ("no, younger than 5" after "older than 5"); a new
   range replaces both. Life stages are bounds too ("just the young ones").
6. A new order replaces the order ("sort them by price").
7. "any price", "any age", "any breed", "any kind" let go of that field.

The fields this question's own words set are what it ``said``; any other came from the context as
it was. The reading is a ``conflict`` when it asks for a kind the context leaves out, or leaves
out one it wants: a second reader may tell which was meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chalicelib.domain.filters import PetFilters
from chalicelib.language.parser.asked import Asked, filters_of
from chalicelib.language.parser.cues import FOLLOW_WORDS
from chalicelib.language.store_words import StoreWords

_LET_GO: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("any_price", ("min_price", "max_price")),
    ("any_age", ("min_age", "max_age")),
    ("any_breed", ("breed", "breeds", "exclude_breeds")),
    ("any_kind", ("type_filter", "types", "exclude_types", "breed", "breeds", "exclude_breeds")),
)


@dataclass(frozen=True)
class Outcome:
    """The filters a question asks for, the fields its own words set, and whether the context it
    follows could be applied as written (``conflict`` when not); ``refined`` when it followed one."""

    filters: PetFilters
    said: frozenset[str]
    conflict: bool = False
    refined: bool = False


def fresh(filters: PetFilters, conflict: bool = False) -> Outcome:
    """A question read on its own: everything in its filters is what it said."""
    return Outcome(filters, frozenset(filters.model_dump(exclude_none=True)), conflict)


def starts_fresh(asked: Asked) -> bool:
    """Whether ``asked`` leaves the answer before it behind, whatever it was."""
    if asked.cues & {"start_over", "reset"}:
        return True
    return asked.has_subject and "asking" in asked.cues and not asked.cues & FOLLOW_WORDS


def follow_up(asked: Asked, context: PetFilters, store: StoreWords) -> Outcome:
    """``asked`` read as a follow-up of ``context``, or on its own when it starts fresh."""
    context = store.in_stock(context)
    if starts_fresh(asked):
        return fresh(asked.filters())
    if asked.name:
        filters = filters_of({"name": asked.name, "sort_by": asked.order or context.sort_by, **asked.bounds})
        return Outcome(filters, _said(filters, context, asked), refined=True)
    fields: dict[str, Any] = context.model_dump(exclude_none=True)
    clash = _kinds(fields, asked, context, store)
    for side in ("price", "age"):
        _bounds(fields, side, asked.bounds)
    for cue, names in _LET_GO:
        if cue in asked.cues:
            for name in names:
                fields.pop(name, None)
    if asked.order:
        fields["sort_by"] = asked.order
    filters = filters_of(fields)
    # A bound that replaced or crossed a carried one, and a correction, did what was said: only a
    # kind both wanted and left out is a conflict, where a second reading may help.
    return Outcome(filters, _said(filters, context, asked), clash, refined=True)


def _said(filters: PetFilters, context: PetFilters, asked: Asked) -> frozenset[str]:
    named = set(asked.bounds)
    for asks, names in (
        (asked.types, ("type_filter", "types")),
        (asked.breeds, ("breed", "breeds")),
        (asked.exclude_types, ("exclude_types",)),
        (asked.exclude_breeds, ("exclude_breeds",)),
        (asked.name, ("name",)),
        (asked.order, ("sort_by",)),
    ):
        if asks:
            named.update(names)
    before = context.model_dump(exclude_none=True)
    now = filters.model_dump(exclude_none=True)
    # a field the question changed without naming it ("no dogs" after "cats or dogs") is its own too
    return frozenset(name for name, value in now.items() if name in named or before.get(name) != value)


def _kinds(fields: dict[str, Any], asked: Asked, context: PetFilters, store: StoreWords) -> bool:
    """Sets the kinds of ``fields``; True when a kind is both wanted and left out."""
    types, breeds = list(context.any_types), list(context.any_breeds)
    wanted_breeds = {b.casefold() for b in asked.breeds}
    clash = bool(set(asked.types) & set(context.exclude_types or ())) or any(
        b.casefold() in wanted_breeds for b in context.exclude_breeds or ()
    )
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
        fields["exclude_breeds"] = [
            b for b in fields.get("exclude_breeds", ()) if b.casefold() not in wanted_breeds
        ]
    correcting = "correct" in asked.cues
    for name, left_out in (("exclude_types", asked.exclude_types), ("exclude_breeds", asked.exclude_breeds)):
        if left_out:
            fields[name] = [*([] if correcting else fields.get(name, ())), *left_out]
    left_out_types, left_out_breeds = set(asked.exclude_types), {b.casefold() for b in asked.exclude_breeds}
    fields["types"] = [t for t in types if t not in left_out_types]
    fields["breeds"] = [b for b in breeds if b.casefold() not in left_out_breeds]
    fields.pop("type_filter", None)
    fields.pop("breed", None)
    # every kind wanted was left out ("no dogs" after "dogs"): what to look for is no longer clear
    emptied = (types and not fields["types"]) or (breeds and not fields["breeds"])
    return clash or bool(emptied)


def _bounds(fields: dict[str, Any], side: str, bounds: dict[str, Decimal]) -> None:
    """Sets the ``side`` ("price", "age") bounds of ``fields``: a carried bound the new one meets
    or crosses goes."""
    low, high = f"min_{side}", f"max_{side}"
    if low in bounds and high in bounds:
        fields[low], fields[high] = bounds[low], bounds[high]
        return
    for new, other, meets in ((low, high, _at_or_above), (high, low, _at_or_below)):
        if new in bounds:
            fields[new] = bounds[new]
            if other in fields and meets(bounds[new], fields[other]):
                del fields[other]


def _at_or_above(value: Decimal, other: Any) -> bool:
    return value >= Decimal(str(other))


def _at_or_below(value: Decimal, other: Any) -> bool:
    return value <= Decimal(str(other))
