"""The pets table: its layout, the stock item, and paged reads merged across its indexes."""

from chalicelib.adapters.storage.reads import MAX_ITEMS_READ, Found, Positions, ReadBudget
from chalicelib.adapters.storage.stock_item import STOCK_ID, STOCK_TTL_SECONDS, StockCache
from chalicelib.adapters.storage.store import Page, PetStore
from chalicelib.adapters.storage.table import (
    CATALOG_SHARDS,
    IDEMPOTENCY_EXPIRY,
    IDEMPOTENCY_KEY,
    INDEX_KEYS,
    NAME_INDEX,
    SORTED_INDEXES,
    idempotency_table_definition,
    stored_item,
    table_definition,
)

__all__ = [
    "CATALOG_SHARDS",
    "IDEMPOTENCY_EXPIRY",
    "IDEMPOTENCY_KEY",
    "INDEX_KEYS",
    "MAX_ITEMS_READ",
    "NAME_INDEX",
    "SORTED_INDEXES",
    "STOCK_ID",
    "STOCK_TTL_SECONDS",
    "Found",
    "Page",
    "PetStore",
    "Positions",
    "ReadBudget",
    "StockCache",
    "idempotency_table_definition",
    "stored_item",
    "table_definition",
]
