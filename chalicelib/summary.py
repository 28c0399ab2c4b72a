"""The one sentence a person reads above the pets a question found."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.filters import PetFilters, SortBy

_IRREGULAR_PLURALS = {
    "fish": "fish",
    "mouse": "mice",
    "sheep": "sheep",
    "goose": "geese",
    "canary": "canaries",
}
_ORDER_WORDS = {
    SortBy.PRICE_ASC: "cheapest first",
    SortBy.PRICE_DESC: "most expensive first",
    SortBy.AGE_ASC: "youngest first",
    SortBy.AGE_DESC: "oldest first",
}


def summarize(filters: PetFilters, count: int, more: bool, first_page: bool = True) -> str:
    """E.g. "3 dogs under $500, youngest first." or "No cats named Luna right now."."""
    noun = _noun(filters, count)
    details = [part for part in (_name(filters), _price(filters), _age(filters)) if part]
    phrase = " ".join([noun, *details])
    if filters.sort_by:
        phrase += f", {_ORDER_WORDS[filters.sort_by]}"
    if count == 0 and more:
        # A page can end empty when the reads it may make ran out before a match.
        return f"No {phrase} found yet; show more to keep looking."
    if count == 0:
        return f"No {phrase} {'right now' if first_page else 'beyond these'}."
    lead = f"{count} {'more ' if not first_page else ''}{phrase}"
    return f"{lead}; there are more." if more else f"{lead}."


def _noun(filters: PetFilters, count: int) -> str:
    kind = filters.type_filter or "pet"
    noun = kind if count == 1 else _plural(kind)
    return f"{filters.breed} {noun}" if filters.breed else noun


def _plural(word: str) -> str:
    head, _, last = word.rpartition(" ")
    if last in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def _name(filters: PetFilters) -> str:
    return f"named {filters.name}" if filters.name else ""


def _price(filters: PetFilters) -> str:
    low, high = filters.min_price, filters.max_price
    if low is not None and high is not None:
        return f"at {money(low)}" if low == high else f"from {money(low)} to {money(high)}"
    if high is not None:
        return f"up to {money(high)}"
    return f"from {money(low)} up" if low is not None else ""


def _age(filters: PetFilters) -> str:
    low, high = filters.min_age, filters.max_age
    if low is not None and high is not None:
        return f"aged {_years(low)}" if low == high else f"aged {_number(low)} to {_years(high)}"
    if high is not None:
        return f"up to {_years(high)} old"
    return f"at least {_years(low)} old" if low is not None else ""


def money(amount: Decimal) -> str:
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _years(value: Decimal) -> str:
    return f"{_number(value)} year{'' if value == 1 else 's'}"
