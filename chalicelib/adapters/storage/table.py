"""The pets table's layout: its key, its indexes, and the keys every stored pet carries for them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from chalicelib.domain.selection import breed_key

# Every pet carries a catalog key spread over a few shards, so that questions without a type or
# breed still read an index in price or age order instead of scanning, and no single partition
# takes every such read (one partition serves about 3,000 read units a second).
CATALOG_SHARDS = 4
NAME_INDEX = "name"
# index name -> (partition key, sort key)
SORTED_INDEXES: dict[str, tuple[str, str]] = {
    "type-price": ("type", "price"),
    "type-age": ("type", "age"),
    "breed-price": ("breed_key", "price"),
    "breed-age": ("breed_key", "age"),
    "catalog-price": ("catalog", "price"),
    "catalog-age": ("catalog", "age"),
}
INDEX_KEYS: dict[str, tuple[str, ...]] = {
    **{name: ("id", *keys) for name, keys in SORTED_INDEXES.items()},
    NAME_INDEX: ("id", "name_key"),
}
_ATTRIBUTE_TYPES = {
    "id": "S",
    "type": "S",
    "breed_key": "S",
    "catalog": "S",
    "name_key": "S",
    "price": "N",
    "age": "N",
}


def table_definition(table_name: str) -> dict[str, Any]:
    """CreateTable arguments for the pets table: the bootstrap and the templates both use it."""
    indexes = [
        _index(name, [(hash_key, "HASH"), (range_key, "RANGE")])
        for name, (hash_key, range_key) in SORTED_INDEXES.items()
    ]
    indexes.append(_index(NAME_INDEX, [("name_key", "HASH")]))
    return {
        "TableName": table_name,
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind} for name, kind in _ATTRIBUTE_TYPES.items()
        ],
        "GlobalSecondaryIndexes": indexes,
        "BillingMode": "PAY_PER_REQUEST",
    }


def _index(name: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": attribute, "KeyType": kind} for attribute, kind in keys],
        "Projection": {"ProjectionType": "ALL"},
    }


def catalog_shard(number: int) -> str:
    return f"pet#{number}"


def stored_item(pet: Mapping[str, Any]) -> dict[str, Any]:
    """A pet as stored: its fields plus the keys its indexes need."""
    digest = hashlib.sha256(str(pet["id"]).encode()).digest()
    return {
        **pet,
        "catalog": catalog_shard(digest[0] % CATALOG_SHARDS),
        "name_key": pet["name"].casefold(),
        "breed_key": breed_key(pet["breed"]),
    }


# The idempotency table: Powertools' DynamoDB persistence layer keeps one record per add retried
# with an Idempotency-Key, under its own key attribute, and DynamoDB's TTL deletes it a day later.
IDEMPOTENCY_KEY = "id"
IDEMPOTENCY_EXPIRY = "expiration"


def idempotency_table_definition(table_name: str) -> dict[str, Any]:
    """CreateTable arguments for the idempotency table (turn on TTL on IDEMPOTENCY_EXPIRY after)."""
    return {
        "TableName": table_name,
        "KeySchema": [{"AttributeName": IDEMPOTENCY_KEY, "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": IDEMPOTENCY_KEY, "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
