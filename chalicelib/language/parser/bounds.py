"""Prices and ages: every way of writing a bound, a range, "around", and a number's unit.

* A number with "$", dollars, bucks, usd or "k" is a price; with years, yrs, yo, months or weeks it
  is an age (months and weeks become years, rounded to 0.01). Without a unit, the comparison word
  decides ("younger than" is age), then the nearest "old"/"age" or "price"/"cost" word, else price.
* A price with no comparison ("a kitten for $300") is a budget: max_price. An age with no
  comparison ("a 2 year old") is exact: min_age = max_age. A bare number with neither ("5 pets")
  is ignored. "around"/"about" N means N +/- 20%.
* Numbers are clamped to the filter limits. Words for ages without a number ("puppies", "young",
  "senior") are life stages (``stages``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from chalicelib.domain.decimals import CENT
from chalicelib.domain.filters import MAX_AGE, MAX_PRICE
from chalicelib.language.parser.question_text import Marked, alternation
from chalicelib.language.vocabulary import amounts
from chalicelib.language.vocabulary.life_stages import BABY_KINDS, STAGE_WORDS

CONTEXT_BEFORE = 30
CONTEXT_AFTER = 20
# A number without a unit beside a life stage ("puppies under 2") is an age up to this, a price above.
STAGE_AGE_LIMIT = 20


class Bounds:
    """The price and age bounds found so far in one question; repeated bounds keep the tightest."""

    def __init__(self) -> None:
        self.values: dict[str, Decimal] = {}

    def add(self, key: str, value: Decimal) -> None:
        limit = Decimal(MAX_PRICE if key.endswith("price") else MAX_AGE)
        value = min(max(value, Decimal(0)), limit)
        old = self.values.get(key)
        if old is None:
            self.values[key] = value
        else:
            self.values[key] = min(old, value) if key.startswith("max") else max(old, value)

    def fields(self) -> set[str]:
        """The fields bounded: "price", "age"."""
        return {key.split("_")[1] for key in self.values}


Handler = Callable[[re.Match[str], Bounds], bool]


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    unit = alternation({*amounts.PRICE_UNITS, *amounts.AGE_UNITS})

    def quantity(tag: str) -> str:
        return (
            rf"(?P<cur{tag}>\$)?(?P<num{tag}>\d+(?:\.\d+)?)(?P<plus{tag}>\+)?"
            rf"(?:\s*(?P<unit{tag}>{unit})(?![a-z]))?(?:\s+old\b)?"
        )

    first, second = quantity("a"), quantity("b")
    measures = alternation(amounts.MEASURE_WORDS)
    return {
        "between": re.compile(rf"\bbetween\s+{first}\s*(?:and|to|-|\u2013)\s*{second}"),
        "dash": re.compile(
            rf"(?:\bfrom\s+)?(?<![\d.-]){first}\s*(?:-|\u2013|\u2014|to|through|thru)\s*{second}"
        ),
        "around": re.compile(rf"(?<![a-z])(?:{alternation(amounts.AROUND_WORDS)})\s*{first}"),
        "before": re.compile(
            rf"(?<![a-z_])(?P<op>{alternation(amounts.BEFORE_NUMBER)})\s*"
            rf"(?P<filler>(?:(?:{measures}|of|is|than|at|:|=)\s*)*){first}"
        ),
        "after": re.compile(rf"(?<![\d.-]){first}\s*(?P<post>{alternation(amounts.AFTER_NUMBER)})(?![a-z])"),
        "lone": re.compile(rf"(?P<aged>\baged?\s+)?(?<![\d.\w-]){first}"),
        "age_cue": re.compile(rf"\b(?:{alternation(amounts.AGE_CUES)})\b"),
        "price_cue": re.compile(rf"\$|\b(?:{alternation(amounts.PRICE_CUES)})\b"),
        "stage_cue": re.compile(rf"\b(?:{'|'.join((*STAGE_WORDS.values(), *BABY_KINDS))})\b"),
    }


# A number measures a price or an age: "price" and "age" below are those measures.


def _unit_measure(match: re.Match[str], tag: str) -> str | None:
    if match.group(f"cur{tag}"):
        return "price"
    unit = match.group(f"unit{tag}")
    if unit in amounts.PRICE_UNITS:
        return "price"
    return "age" if unit in amounts.AGE_UNITS else None


def _number(match: re.Match[str], tag: str, unit: str | None) -> Decimal:
    value = Decimal(match.group(f"num{tag}"))
    divisor = amounts.AGE_UNITS.get(unit or "", 1)
    return value if divisor == 1 else (value / divisor).quantize(CENT)


def _measure_nearby(text: str, start: int, end: int) -> str | None:
    patterns = _patterns()
    before = text[max(0, start - CONTEXT_BEFORE) : start]
    last_age = max((m.end() for m in patterns["age_cue"].finditer(before)), default=-1)
    last_price = max((m.end() for m in patterns["price_cue"].finditer(before)), default=-1)
    if last_age != last_price:
        return "age" if last_age > last_price else "price"
    after = text[end : end + CONTEXT_AFTER]
    age, price = patterns["age_cue"].search(after), patterns["price_cue"].search(after)
    if age and (not price or age.start() < price.start()):
        return "age"
    return "price" if price else None


def _measure(match: re.Match[str], hint: str | None, tags: str = "a") -> str:
    for tag in tags:
        measure = _unit_measure(match, tag)
        if measure:
            return measure
    nearby = hint or _measure_nearby(match.string, match.start(), match.end())
    if nearby:
        return nearby
    # "puppies under 2": a small number beside a life stage is an age; "puppies under 300" a price
    small = all(Decimal(match.group(f"num{t}")) <= STAGE_AGE_LIMIT for t in tags if match.group(f"num{t}"))
    window = match.string[max(0, match.start() - CONTEXT_BEFORE) : match.end() + CONTEXT_AFTER]
    return "age" if small and _patterns()["stage_cue"].search(window) else "price"


def _unit(match: re.Match[str], tags: str) -> str | None:
    return next((match.group(f"unit{t}") for t in tags if match.group(f"unit{t}")), None)


def _on_range(match: re.Match[str], bounds: Bounds) -> bool:
    measure, unit = _measure(match, None, "ab"), _unit(match, "ab")
    bounds.add(f"min_{measure}", _number(match, "a", unit))
    bounds.add(f"max_{measure}", _number(match, "b", unit))
    return True


def _on_around(match: re.Match[str], bounds: Bounds) -> bool:
    measure, value = _measure(match, None), _number(match, "a", _unit(match, "a"))
    bounds.add(f"min_{measure}", value * (1 - amounts.AROUND_BAND))
    bounds.add(f"max_{measure}", value * (1 + amounts.AROUND_BAND))
    return True


def _on_bound(table: Mapping[str, amounts.Bound], group: str) -> Handler:
    def handle(match: re.Match[str], bounds: Bounds) -> bool:
        side, hint = table[match.group(group)]
        filler = (match.groupdict().get("filler") or "").split()
        hint = hint or amounts.MEASURE_WORDS.get(filler[0] if filler else "")
        bounds.add(f"{side}_{_measure(match, hint)}", _number(match, "a", _unit(match, "a")))
        return True

    return handle


def _on_lone(match: re.Match[str], bounds: Bounds) -> bool:
    measure = _unit_measure(match, "a") or ("age" if match.group("aged") else None)
    value = _number(match, "a", _unit(match, "a"))
    if match.group("plusa") and measure:
        bounds.add(f"min_{measure}", value)
    elif measure == "age":
        bounds.add("min_age", value)
        bounds.add("max_age", value)
    elif measure == "price":
        bounds.add("max_price", value)
    return measure is not None


# "older than 2 and under $900": the comparison before a number binds tighter than "and under" after it
_RULES: tuple[tuple[str, Handler], ...] = (
    ("between", _on_range),
    ("dash", _on_range),
    ("around", _on_around),
    ("before", _on_bound(amounts.BEFORE_NUMBER, "op")),
    ("after", _on_bound(amounts.AFTER_NUMBER, "post")),
    ("lone", _on_lone),
)


def read_amounts(text: Marked) -> Bounds:
    """Every price and age bound in ``text``, with the words used for them blanked."""
    bounds = Bounds()
    patterns = _patterns()
    for name, rule in _RULES:

        def used(match: re.Match[str], rule: Handler = rule) -> bool:
            return rule(match, bounds)

        text.take(patterns[name], used)
    return bounds
