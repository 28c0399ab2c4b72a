"""The one sentence a person reads above the pets a question found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.selection import kinds_asked

# "We have dogs, cats, birds, rabbits, fish and more."
MAX_KINDS_SHOWN = 6

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
    "age": ("aged {}", "aged {} to {}", "aged {} or younger", "aged {} or older"),
}
_ORDER_WORDS = {
    SortBy.PRICE_ASC: "cheapest first",
    SortBy.PRICE_DESC: "most expensive first",
    SortBy.AGE_ASC: "youngest first",
    SortBy.AGE_DESC: "oldest first",
}


@dataclass(frozen=True)
class Nearest:
    """The pet a question just missed: above its upper bound on ``field``, or below its lower one."""

    field: str
    above: bool
    value: Decimal


_NEAREST_WORDS = {
    ("price", True): "cheapest",
    ("price", False): "most expensive",
    ("age", True): "youngest",
    ("age", False): "oldest",
}


def summarize(
    filters: PetFilters,
    count: int,
    more: bool,
    first_page: bool = True,
    nearest: Nearest | None = None,
    unknown: Sequence[str] = (),
    stocked: Sequence[str] = (),
    breed_types: Mapping[str, str] | None = None,
) -> str:
    """E.g. "3 dogs under $500, youngest first." or "No cats named Luna right now.".

    An empty first page says what came closest (``nearest``), or, when the question names kinds
    the store does not have (``unknown``), which kinds it does have (``stocked``). ``breed_types``
    tells which type each breed belongs to ("cats or Beagle dogs").
    """
    breed_types = breed_types or {}
    # An empty answer has no order to speak of.
    phrase = _phrase(filters, count, breed_types, ordered=count > 0)
    if count == 0 and more:
        # A page can end empty when the reads it may make ran out before a match.
        return f"No {phrase} found yet; show more to keep looking."
    if count == 0 and first_page and unknown:
        missing = _join([_plural(kind) for kind in unknown], "or")
        have = f" We have {_stocked(stocked)}." if stocked else ""
        return f"We have no {missing}.{have}"
    if count == 0:
        close = f"; {_nearest(filters, nearest, breed_types)}" if nearest and first_page else ""
        return f"No {phrase} {'right now' if first_page else 'beyond these'}{close}."
    lead = f"{count} {'more ' if not first_page else ''}{phrase}"
    return f"{lead}; there are more." if more else f"{lead}."


def _phrase(
    filters: PetFilters,
    count: int,
    breed_types: Mapping[str, str],
    ordered: bool = True,
    skip: str = "",
) -> str:
    ranges = [_range(name, filters) for name in ("price", "age") if name != skip]
    details = [part for part in (_name(filters), *ranges) if part]
    phrase = " ".join([_noun(filters, count, breed_types), *_left_out(filters), *details])
    return f"{phrase}, {_ORDER_WORDS[filters.sort_by]}" if filters.sort_by and ordered else phrase


def _noun(filters: PetFilters, count: int, breed_types: Mapping[str, str]) -> str:
    groups = kinds_asked(filters, breed_types) or [(None, ())]
    nouns = []
    for kind, breeds in groups:
        noun = (kind or "pet") if count == 1 else _plural(kind or "pet")
        nouns.append(f"{_join(list(breeds), 'or')} {noun}" if breeds else noun)
    return _join(nouns, "or")


def _left_out(filters: PetFilters) -> list[str]:
    left_out = [*(_plural(kind) for kind in filters.exclude_types or ()), *(filters.exclude_breeds or ())]
    return [f"other than {_join(left_out, 'and')}"] if left_out else []


def _nearest(filters: PetFilters, nearest: Nearest, breed_types: Mapping[str, str]) -> str:
    value = money(nearest.value) if nearest.field == "price" else f"{_years(nearest.value)} old"
    closest = _NEAREST_WORDS[(nearest.field, nearest.above)]
    return f"the {closest} {_phrase(filters, 1, breed_types, ordered=False, skip=nearest.field)} is {value}"


def _stocked(kinds: Sequence[str]) -> str:
    shown = [_plural(kind) for kind in kinds[:MAX_KINDS_SHOWN]]
    if len(kinds) > MAX_KINDS_SHOWN:
        return f"{', '.join(shown)} and more"
    return _join(shown, "and")


def _join(words: list[str], last: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


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
