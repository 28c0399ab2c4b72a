"""Sort orders: "youngest first" beats "by price", which beats "cheap"; the first of a kind wins."""

from __future__ import annotations

import functools
import re

from chalicelib.domain.filters import SortBy
from chalicelib.language.parser.question_text import Marked, whole_words
from chalicelib.language.vocabulary import order_words

_Table = tuple[tuple[re.Pattern[str], SortBy], ...]


@functools.cache
def _tables() -> tuple[_Table, ...]:
    return tuple(
        tuple((whole_words(pattern), order) for pattern, order in table)
        for table in (order_words.STRONG_SORTS, order_words.FIELD_SORTS, order_words.WEAK_SORTS)
    )


# "except the expensive ones", "no pricey ones": a leaving-out word turns a weak order round.
_LEFT_OUT_BEFORE = re.compile(r"(?:not|no|except|excluding|without|but not)(?: the| too| very| so| any)?\s*$")
_REVERSED = {
    SortBy.PRICE_ASC: SortBy.PRICE_DESC,
    SortBy.PRICE_DESC: SortBy.PRICE_ASC,
    SortBy.AGE_ASC: SortBy.AGE_DESC,
    SortBy.AGE_DESC: SortBy.AGE_ASC,
}


def read_order(text: Marked) -> SortBy | None:
    """The order ``text`` asks for, if any; every order phrase in it is used, chosen or not."""
    chosen: SortBy | None = None
    for table, weak in zip(_tables(), (False, False, True), strict=True):
        hits = [(m.start(), m.end(), order) for pattern, order in table for m in pattern.finditer(text.rest)]
        if hits and chosen is None:
            start, _, chosen = min(hits)
            left_out = _LEFT_OUT_BEFORE.search(text.rest[max(0, start - 20) : start])
            if weak and left_out:
                chosen = _REVERSED[chosen]
                text.use(start - len(left_out.group(0)), start)
        for start, end, _ in hits:
            text.use(start, end)
    return chosen
