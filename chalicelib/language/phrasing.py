"""Filters said as a question the keyword parser reads back to exactly those filters.

Suggestions for an empty answer are offered as questions a shopper can ask as they are; saying
them this way keeps each one a question that finds what it promises ("Poodle dogs up to $400").
"""

from __future__ import annotations

from chalicelib.domain.english import ORDER_WORDS, RangeWords, left_out, money, number, plural, years
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.selection import kinds_asked
from chalicelib.language.store_words import StoreWords

# A range with both ends reads back as both bounds, even when they are the same.
_RANGES = {
    "price": RangeWords("from {} to {}", "up to {}", "{} or more", money),
    "age": RangeWords("between {} and {} old", "up to {} old", "at least {} old", years, show_low=number),
}


def question(filters: PetFilters, store: StoreWords) -> str:
    """A question asking for ``filters``, e.g. "rabbits or guinea pigs up to $100, cheapest first"."""
    ranges = (words.of(filters, field) for field, words in _RANGES.items())
    parts = [_subject(filters, store), *(part for part in ranges if part)]
    kinds = left_out(filters)
    if kinds:
        parts.append("but not " + " or ".join(kinds))
    # "named Max, $300 or more": the comma keeps a name from reading as "max $300"
    text = (", " if filters.name else " ").join([parts[0], " ".join(parts[1:])]) if parts[1:] else parts[0]
    return f"{text}, {ORDER_WORDS[filters.sort_by]}" if filters.sort_by else text


def _subject(filters: PetFilters, store: StoreWords) -> str:
    groups = [
        " or ".join([*breeds[:-1], f"{breeds[-1]} {plural(kind or 'pet')}"])
        if breeds
        else plural(kind or "pet")
        for kind, breeds in kinds_asked(filters, store.breed_types)
    ]
    subject = " or ".join(groups) or "pets"
    return f"{subject} named {filters.name}" if filters.name else subject
