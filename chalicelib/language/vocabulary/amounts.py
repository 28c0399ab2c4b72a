"""The words for amounts: spelled-out numbers, money and age units, and comparison phrases."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.language.vocabulary.word_tables import words

_UNITS = words(
    "zero, one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen,"
    " fifteen, sixteen, seventeen, eighteen, nineteen"
)
_TENS = words("twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety")
NUMBER_WORDS: dict[str, int] = {
    **{word: value for value, word in enumerate(_UNITS)},
    **{word: 10 * value for value, word in enumerate(_TENS, start=2)},
    "hundred": 100,
    "thousand": 1000,
}

# A bound a phrase sets: ("max" or "min", what it measures when its number has no unit, or None).
Bound = tuple[str, str | None]


def _bounds(table: dict[Bound, str]) -> dict[str, Bound]:
    """Expand {(bound, measures): "phrase, phrase"} into {phrase: (bound, measures)}."""
    return {phrase: key for key, phrases in table.items() for phrase in words(phrases)}


# Phrases before a number.
BEFORE_NUMBER: dict[str, Bound] = _bounds(
    {
        (
            "max",
            None,
        ): "under, below, less than, lower than, at most, up to, upto, max, maximum, no more than,"
        " not more than, not over, not above, within, <=, =<, <, \u2264, beneath, tops",
        ("max", "price"): "cheaper than, less expensive than, for less than, for under, budget",
        ("max", "age"): "younger than, no older than, not older than, newer than",
        ("min", None): "over, above, more than, greater than, at least, min, minimum, >=, =>, >, \u2265,"
        " upwards of, in excess of, from, starting at",
        ("min", "price"): "more expensive than, pricier than",
        ("min", "age"): "older than, no younger than, not younger than",
    }
) | _bounds(
    # "nothing older than 3" caps the age where "older than 3" would floor it
    {
        ("max", None): "nothing over, nothing above, nothing more than",
        ("min", None): "nothing under, nothing below, nothing less than",
        ("max", "age"): "nothing older than",
        ("min", "age"): "nothing younger than",
        ("max", "price"): "nothing pricier than, nothing more expensive than",
        ("min", "price"): "nothing cheaper than",
    }
)
# Phrases after a number.
AFTER_NUMBER: dict[str, Bound] = _bounds(
    {
        ("max", None): "or less, or under, or below, or lower, and under, and below, and less, max, maximum,"
        " tops, at most",
        ("max", "price"): "or cheaper",
        ("max", "age"): "or younger, and younger",
        ("min", None): "or more, or over, or above, or higher, and up, and over, and above, and more, plus,"
        " at least, minimum, +",
        ("min", "age"): "or older, and older",
    }
)
# Words between a comparison and its number that say what it measures: "max price 300", "min age 2".
MEASURE_WORDS = {"age": "age", "price": "price", "cost": "price", "budget": "price"}
AROUND_WORDS = words("around, about, approximately, approx, approx., roughly, close to, near, ~, circa")
# "around $500" means $400 to $600.
AROUND_BAND = Decimal("0.2")
PRICE_UNITS = frozenset(words("dollars, dollar, bucks, buck, usd"))
# unit -> how many of it make a year
AGE_UNITS: dict[str, int] = {
    **dict.fromkeys(words("years, year, yrs, yr, yo, y/o, y.o., y.o"), 1),
    **dict.fromkeys(words("months, month, mos, mo"), 12),
    **dict.fromkeys(words("weeks, week, wks, wk"), 52),
}
# Words near a unitless number that say it is an age, or a price.
AGE_CUES = words("old, older, younger, age, ages, aged, year, years, yr, yrs")
PRICE_CUES = words(
    "price, prices, priced, cost, costs, budget, pay, spend, dollar, dollars, bucks, usd, cheap, cheaper,"
    " expensive, pricey"
)
