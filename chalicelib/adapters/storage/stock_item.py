"""The stock item: one small item of counts by type and breed, updated with every pet added.

Read once per warm container and kept for a short while (:data:`STOCK_TTL_SECONDS`): the keyword
parser learns the store's own types and breeds from it without a scan, and a container that adds
a pet knows it at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from chalicelib.domain.stock import Stock

# The stock item lives in the pets table under an id no pet can have (pet ids are letters,
# digits, "-" and "_"), with none of the index keys, so no index and no question ever reads it.
STOCK_ID = "#stock"
STOCK_TTL_SECONDS = 60.0
# Bumped by every add in the transaction that stores the pet: a recount writes its counts only if
# no add came between its scan and its write.
STOCK_VERSION = "version"
_TYPE = "t#"
_BREED = "b#"


def type_attribute(kind: str) -> str:
    return f"{_TYPE}{kind}"


def breed_attribute(kind: str, breed: str) -> str:
    # types are letters and spaces only, so the first "#" after the prefix ends the type
    return f"{_BREED}{kind}#{breed}"


def stock_from_item(item: Mapping[str, Any] | None) -> Stock:
    types: dict[str, int] = {}
    breeds: dict[tuple[str, str], int] = {}
    for name, value in (item or {}).items():
        if not isinstance(value, (int, Decimal)):
            continue
        if name.startswith(_TYPE):
            types[name[len(_TYPE) :]] = int(value)
        elif name.startswith(_BREED):
            kind, _, breed = name[len(_BREED) :].partition("#")
            breeds[(kind, breed)] = int(value)
    return Stock(types, breeds)


def stock_item(stock: Stock, version: int) -> dict[str, Any]:
    return {
        "id": STOCK_ID,
        STOCK_VERSION: version,
        **{type_attribute(kind): count for kind, count in stock.types.items()},
        **{breed_attribute(kind, breed): count for (kind, breed), count in stock.breeds.items()},
    }


class StockCache:
    """The stock as last read, for at most ``ttl`` seconds; thread-safe (chalice local uses threads)."""

    def __init__(self, ttl: float = STOCK_TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._stock: Stock | None = None
        self._read_at = 0.0

    def get(self, read: Callable[[], Stock]) -> Stock:
        with self._lock:
            if self._stock is not None and self._clock() - self._read_at < self._ttl:
                return self._stock
        stock = read()
        self.put(stock)
        return stock

    def put(self, stock: Stock) -> None:
        with self._lock:
            self._stock, self._read_at = stock, self._clock()

    def forget(self) -> None:
        with self._lock:
            self._stock = None
