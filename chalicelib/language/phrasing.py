"""Filters said as a question the keyword parser reads back to exactly those filters.

Suggestions for an empty answer are offered as questions a shopper can ask as they are; saying
them this way keeps each one a question that finds what it promises ("Poodle dogs up to $400").
"""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.selection import kinds_asked
from chalicelib.language.store_words import StoreWords

_ORDERS = {
    SortBy.PRICE_ASC: "cheapest first",
    SortBy.PRICE_DESC: "most expensive first",
    SortBy.AGE_ASC: "youngest first",
    SortBy.AGE_DESC: "oldest first",
}
_PLURALS = {"fish": "fish", "mouse": "mice", "guinea pig": "guinea pigs", "canary": "canaries"}


def question(filters: PetFilters, store: StoreWords) -> str:
    """A question asking for ``filters``, e.g. "rabbits or guinea pigs up to $100, cheapest first"."""
    parts = [_subject(filters, store), *(part for part in (_price(filters), _age(filters)) if part)]
    left_out = [*(_plural(kind) for kind in filters.exclude_types or ()), *(filters.exclude_breeds or ())]
    if left_out:
        parts.append("but not " + " or ".join(left_out))
    # "named Max, $300 or more": the comma keeps a name from reading as "max $300"
    text = (", " if filters.name else " ").join([parts[0], " ".join(parts[1:])]) if parts[1:] else parts[0]
    return f"{text}, {_ORDERS[filters.sort_by]}" if filters.sort_by else text


def _subject(filters: PetFilters, store: StoreWords) -> str:
    groups = [
        " or ".join([*breeds[:-1], f"{breeds[-1]} {_plural(kind or 'pet')}"])
        if breeds
        else _plural(kind or "pet")
        for kind, breeds in kinds_asked(filters, store.breed_types)
    ]
    subject = " or ".join(groups) or "pets"
    return f"{subject} named {filters.name}" if filters.name else subject


def _plural(kind: str) -> str:
    if kind in _PLURALS:
        return _PLURALS[kind]
    if kind.endswith(("s", "x", "ch", "sh")):
        return kind + "es"
    if kind.endswith("y") and kind[-2:-1] not in "aeiou":
        return kind[:-1] + "ies"
    return kind + "s"


def _price(filters: PetFilters) -> str:
    low, high = filters.min_price, filters.max_price
    if low is not None and high is not None:
        return f"from {_money(low)} to {_money(high)}"
    if high is not None:
        return f"up to {_money(high)}"
    return f"{_money(low)} or more" if low is not None else ""


def _age(filters: PetFilters) -> str:
    low, high = filters.min_age, filters.max_age
    if low is not None and high is not None:
        return f"between {_number(low)} and {_number(high)} years old"
    if high is not None:
        return f"up to {_number(high)} years old"
    return f"at least {_number(low)} years old" if low is not None else ""


def _money(amount: Decimal) -> str:
    return f"${amount:.0f}" if amount == amount.to_integral_value() else f"${amount:.2f}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"
