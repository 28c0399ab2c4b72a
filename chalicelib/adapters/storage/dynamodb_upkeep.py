"""Upkeep of the pets table, apart from the request path: loading pets, recounting the stock, reindexing.

Run by deployments (`python -m infra.deploy reindex`), the local stack and tests, never by a request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from chalicelib.adapters.storage.dynamodb_store import storage_errors
from chalicelib.adapters.storage.stock_item import STOCK_ID, STOCK_VERSION, StockCache, stock_item
from chalicelib.adapters.storage.table import stored_item
from chalicelib.domain.errors import ServiceUnavailable
from chalicelib.domain.pets import PUBLIC_FIELDS
from chalicelib.domain.stock import Stock

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

log = logging.getLogger(__name__)

# A recount is written only if no add came between its scan and its write; under a steady stream
# of adds it scans again, this many times at most.
RECOUNT_ATTEMPTS = 5


class PetTableUpkeep:
    """Bulk work on the pets table; shares the stock cache of the store it keeps, if given one."""

    def __init__(self, table: Table, stock_cache: StockCache | None = None) -> None:
        self._table = table
        self._stock_cache = stock_cache or StockCache()

    def load(self, pets: Iterable[Mapping[str, Any]]) -> int:
        """Writes pets that already have ids (seed data, imports) in batches, then recounts the stock."""
        count = 0
        with storage_errors("load pets"), self._table.batch_writer(overwrite_by_pkeys=["id"]) as batch:
            for pet in pets:
                batch.put_item(Item=stored_item(pet))
                count += 1
        self.recount()
        return count

    def recount(self) -> Stock:
        """Counts every pet again (a consistent scan) and rewrites the stock item; returns the stock.

        Every add bumps the stock item's version in the transaction that stores the pet, and the
        count is written only if the version is still the one read before the scan: an add that
        lands in between makes the recount scan again, so it is never lost from the counts.
        """
        for attempt in range(1, RECOUNT_ATTEMPTS + 1):
            with storage_errors("count pets"):
                version = self._version()
                stock = Stock.of(self._scan_pets())
                try:
                    self._table.put_item(Item=stock_item(stock, version or 0), **_unchanged_since(version))
                except ClientError as error:
                    if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise
                    log.info("A pet was added while counting (attempt %d); counting again", attempt)
                    continue
            self._stock_cache.put(stock)
            return stock
        raise ServiceUnavailable("Pets kept being added while counting them; try the recount again.")

    def _version(self) -> int | None:
        item = self._table.get_item(
            Key={"id": STOCK_ID},
            ConsistentRead=True,
            ProjectionExpression="#version",
            ExpressionAttributeNames={"#version": STOCK_VERSION},
        ).get("Item")
        if item is None:
            return None
        return int(str(item.get(STOCK_VERSION, 0)))

    def reindex(self) -> int:
        """Gives every pet the index keys this version stores, and recounts; returns pets rewritten.

        Run after an upgrade that changes the keys (one scan, one write per pet that changed).
        """
        changed = 0
        with storage_errors("reindex pets"), self._table.batch_writer(overwrite_by_pkeys=["id"]) as batch:
            for item in self._scan_pets():
                pet = {name: item[name] for name in PUBLIC_FIELDS}
                wanted = stored_item(pet)
                if any(item.get(name) != value for name, value in wanted.items()):
                    batch.put_item(Item={**item, **wanted})
                    changed += 1
        self.recount()
        return changed

    def _scan_pets(self) -> Iterator[dict[str, Any]]:
        # Consistent: an add that committed before the scan began is in it.
        request: dict[str, Any] = {"ConsistentRead": True}
        while True:
            response = self._table.scan(**request)
            yield from (item for item in response["Items"] if item["id"] != STOCK_ID)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _unchanged_since(version: int | None) -> dict[str, Any]:
    """A put's condition that no add has bumped the stock item since its ``version`` was read."""
    if version is None:
        return {"ConditionExpression": "attribute_not_exists(id)"}
    return {
        "ConditionExpression": "attribute_not_exists(#version) OR #version = :version",
        "ExpressionAttributeNames": {"#version": STOCK_VERSION},
        "ExpressionAttributeValues": {":version": version},
    }
