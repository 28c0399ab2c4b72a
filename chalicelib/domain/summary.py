"""The one sentence a person reads above the pets a question found."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain.filters import PetFilters, SortBy

_IRREGULAR_PLURALS = {
    "fish": "fish",
    "mouse": "mice",
    "sheep": "sheep",
    "goose": "geese",
    "canary": "canaries",
}
# field -> how a range reads: (exactly, between, at most, at least)
_RANGE_WORDS = {
    "price": ("at {}", "from {} to {}", "up to {}", "from {} up"),
    "age": ("aged {}", "aged {} to {}", "up to {} old", "at least {} old"),
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
    details = [part for part in (_name(filters), _range("price", filters), _range("age", filters)) if part]
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


def _range(field: str, filters: PetFilters) -> str:
    low, high = getattr(filters, f"min_{field}"), getattr(filters, f"max_{field}")
    exact, between, at_most, at_least = _RANGE_WORDS[field]
    show_low, show = (money, money) if field == "price" else (_number, _years)
    if low is not None and high is not None:
        return exact.format(show(low)) if low == high else between.format(show_low(low), show(high))
    if high is not None:
        return at_most.format(show(high))
    return at_least.format(show(low)) if low is not None else ""


def money(amount: Decimal) -> str:
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _years(value: Decimal) -> str:
    return f"{_number(value)} year{'' if value == 1 else 's'}"
