"""How the store writes about pets: plurals, amounts, ranges, orders and the kinds left out.

The summary above an answer and the questions suggested for an empty one say things the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from chalicelib.domain.filters import PetFilters, SortBy

# The keyword parser reads these back as their singular (``chalicelib.language.vocabulary.singular``).
IRREGULAR_PLURALS = {
    "fish": "fish",
    "mouse": "mice",
    "sheep": "sheep",
    "goose": "geese",
    "canary": "canaries",
}
ORDER_WORDS = {
    SortBy.PRICE_ASC: "cheapest first",
    SortBy.PRICE_DESC: "most expensive first",
    SortBy.AGE_ASC: "youngest first",
    SortBy.AGE_DESC: "oldest first",
}


def plural(word: str) -> str:
    """The plural of a kind of pet, its last word made plural: "guinea pig" -> "guinea pigs"."""
    head, _, last = word.rpartition(" ")
    if last in IRREGULAR_PLURALS:
        last = IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def money(amount: Decimal) -> str:
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"


def number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def years(value: Decimal) -> str:
    return f"{number(value)} year{'' if value == 1 else 's'}"


def left_out(filters: PetFilters) -> list[str]:
    """The kinds ``filters`` leave out, as said: the types in the plural, then the breeds."""
    return [*(plural(kind) for kind in filters.exclude_types or ()), *(filters.exclude_breeds or ())]


@dataclass(frozen=True)
class RangeWords:
    """How a range on price or age reads: each a template for ``str.format``.

    ``exactly`` (optional) is for a range whose two ends are the same; ``show_low`` writes the lower
    end of a range that has both ("aged 1 to 3 years"), ``show`` every other number.
    """

    between: str
    at_most: str
    at_least: str
    show: Callable[[Decimal], str]
    show_low: Callable[[Decimal], str] | None = None
    exactly: str | None = None

    def of(self, filters: PetFilters, field: str) -> str:
        """The range ``filters`` set on ``field`` ("price" or "age"), or "" when there is none."""
        low, high = getattr(filters, f"min_{field}"), getattr(filters, f"max_{field}")
        if low is not None and high is not None:
            if self.exactly and low == high:
                return self.exactly.format(self.show(low))
            return self.between.format((self.show_low or self.show)(low), self.show(high))
        if high is not None:
            return self.at_most.format(self.show(high))
        return self.at_least.format(self.show(low)) if low is not None else ""
