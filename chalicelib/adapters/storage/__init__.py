"""Where the pets live: the store's interface, DynamoDB behind it (with its table's layout, the stock
item and the upkeep apart from requests), and an in-memory twin."""

from chalicelib.adapters.storage.dynamodb_store import DynamoPetStore
from chalicelib.adapters.storage.dynamodb_upkeep import PetTableUpkeep
from chalicelib.adapters.storage.memory_store import MemoryPetStore
from chalicelib.adapters.storage.pet_store import MAX_ITEMS_READ, Found, Page, PetStore, Positions, ReadBudget
from chalicelib.adapters.storage.stock_item import STOCK_ID, STOCK_TTL_SECONDS, StockCache
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
    "DynamoPetStore",
    "Found",
    "MemoryPetStore",
    "Page",
    "PetStore",
    "PetTableUpkeep",
    "Positions",
    "ReadBudget",
    "StockCache",
    "idempotency_table_definition",
    "stored_item",
    "table_definition",
]
