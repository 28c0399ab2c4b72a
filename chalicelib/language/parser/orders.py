"""Sort orders: "youngest first" beats "by price", which beats "cheap"; the first of a kind wins."""

from __future__ import annotations

import functools
import re

from chalicelib.domain.filters import SortBy
from chalicelib.language.parser.text import Marked
from chalicelib.language.vocabulary import orders

_Table = tuple[tuple[re.Pattern[str], SortBy], ...]


@functools.cache
def _tables() -> tuple[_Table, ...]:
    return tuple(
        tuple((re.compile(rf"\b(?:{pattern})\b"), order) for pattern, order in table)
        for table in (orders.STRONG_SORTS, orders.FIELD_SORTS, orders.WEAK_SORTS)
    )


def read_order(text: Marked) -> SortBy | None:
    """The order ``text`` asks for, if any; every order phrase in it is used, chosen or not."""
    chosen: SortBy | None = None
    for table in _tables():
        hits = [(m.start(), m.end(), order) for pattern, order in table for m in pattern.finditer(text.rest)]
        if hits and chosen is None:
            chosen = min(hits)[2]
        for start, end, _ in hits:
            text.use(start, end)
    return chosen
