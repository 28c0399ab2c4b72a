"""The one sentence a person reads above the pets a question found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from chalicelib.domain.english import ORDER_WORDS, RangeWords, left_out, money, number, plural, years
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.selection import kinds_asked

# "We have dogs, cats, birds, rabbits, fish and more."
MAX_KINDS_SHOWN = 6

_RANGES = {
    "price": RangeWords("from {} to {}", "up to {}", "from {} up", money, exactly="at {}"),
    "age": RangeWords(
        "aged {} to {}", "aged {} or younger", "aged {} or older", years, show_low=number, exactly="aged {}"
    ),
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
    relaxed_from: PetFilters | None = None,
    corrected: Mapping[str, str] | None = None,
) -> str:
    """E.g. "3 dogs under $500, youngest first." or "No cats named Luna right now.".

    An empty first page says what came closest (``nearest``), or, when the question names kinds
    the store does not have (``unknown``), which kinds it does have (``stocked``). ``breed_types``
    tells which type each breed belongs to ("cats or Beagle dogs"). An answer that dropped carried
    filters says what found nothing (``relaxed_from``) before what it shows; words read as other
    words (``corrected``) are said at the end.
    """
    sentence = _sentence(
        filters, count, more, first_page, nearest, unknown, stocked, breed_types or {}, relaxed_from
    )
    if not corrected:
        return sentence
    readings = ", ".join(f'"{typed}" as {meant}' for typed, meant in corrected.items())
    return f"{sentence.removesuffix('.')} (read {readings})."


def _sentence(
    filters: PetFilters,
    count: int,
    more: bool,
    first_page: bool,
    nearest: Nearest | None,
    unknown: Sequence[str],
    stocked: Sequence[str],
    breed_types: Mapping[str, str],
    relaxed_from: PetFilters | None,
) -> str:
    if relaxed_from is not None and count:
        missing = _phrase(relaxed_from, 0, breed_types, ordered=False)
        shown = _phrase(filters, count, breed_types)
        verb, rest = ("is", "") if count == 1 else ("are", "; there are more" if more else "")
        return f"No {missing}; here {verb} our {shown}{rest}."
    # An empty answer has no order to speak of.
    phrase = _phrase(filters, count, breed_types, ordered=count > 0)
    if count == 0 and more:
        # A page can end empty when the reads it may make ran out before a match.
        return f"No {phrase} found yet; show more to keep looking."
    if count == 0 and first_page and unknown:
        missing = _join([plural(kind) for kind in unknown], "or")
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
    ranges = [words.of(filters, name) for name, words in _RANGES.items() if name != skip]
    details = [part for part in (_name(filters), *ranges) if part]
    phrase = " ".join([_noun(filters, count, breed_types), *_left_out(filters), *details])
    return f"{phrase}, {ORDER_WORDS[filters.sort_by]}" if filters.sort_by and ordered else phrase


def _noun(filters: PetFilters, count: int, breed_types: Mapping[str, str]) -> str:
    groups = kinds_asked(filters, breed_types) or [(None, ())]
    nouns = []
    for kind, breeds in groups:
        noun = (kind or "pet") if count == 1 else plural(kind or "pet")
        nouns.append(f"{_join(list(breeds), 'or')} {noun}" if breeds else noun)
    return _join(nouns, "or")


def _left_out(filters: PetFilters) -> list[str]:
    kinds = left_out(filters)
    return [f"other than {_join(kinds, 'and')}"] if kinds else []


def _nearest(filters: PetFilters, nearest: Nearest, breed_types: Mapping[str, str]) -> str:
    value = money(nearest.value) if nearest.field == "price" else f"{years(nearest.value)} old"
    closest = _NEAREST_WORDS[(nearest.field, nearest.above)]
    return f"the {closest} {_phrase(filters, 1, breed_types, ordered=False, skip=nearest.field)} is {value}"


def _stocked(kinds: Sequence[str]) -> str:
    shown = [plural(kind) for kind in kinds[:MAX_KINDS_SHOWN]]
    if len(kinds) > MAX_KINDS_SHOWN:
        return f"{', '.join(shown)} and more"
    return _join(shown, "and")


def _join(words: list[str], last: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _name(filters: PetFilters) -> str:
    return f"named {filters.name}" if filters.name else ""
