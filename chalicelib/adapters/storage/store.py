"""Pets in DynamoDB: writes that never overwrite and keep the stock item current, and paged reads."""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.storage.reads import Found, Interrupted, Positions, ReadBudget, read_page
from chalicelib.adapters.storage.stock_item import (
    STOCK_ID,
    StockCache,
    breed_attribute,
    stock_from_item,
    stock_item,
    type_attribute,
)
from chalicelib.adapters.storage.table import NAME_INDEX, stored_item
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.errors import ConfigurationError, Conflict, NotFound, ServiceUnavailable
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.pets import PUBLIC_FIELDS, NewPet, public_pet
from chalicelib.domain.selection import Source
from chalicelib.domain.stock import Stock

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

log = logging.getLogger(__name__)

_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}
# Two adds at once both update the stock item: DynamoDB cancels one transaction, which is tried again.
_ADD_ATTEMPTS = 5


@dataclass(frozen=True)
class Page:
    """A page of the listing, and the key the next page starts after (None at the end)."""

    pets: list[dict[str, Any]]
    last_key: dict[str, Any] | None
    items_read: int


class PetStore:
    """Pets in DynamoDB, handed its table resource (and, to share it, the container's stock cache).

    Pages start from DynamoDB keys and end with them; turning keys into tokens a client may hold
    is the caller's business.
    """

    def __init__(self, table: Table, stock_cache: StockCache | None = None) -> None:
        self._table = table
        self._stock_cache = stock_cache or StockCache()

    def add(self, pet: NewPet) -> dict[str, Any]:
        """Stores ``pet`` under a new id and counts it in the stock item, in one transaction."""
        item = stored_item(pet.with_id())
        writes = [self._put_new(item), self._count(item)]
        with _storage_errors("add a pet"):
            for attempt in range(1, _ADD_ATTEMPTS + 1):
                try:
                    self._table.meta.client.transact_write_items(TransactItems=writes)
                    break
                except ClientError as error:
                    reasons = _cancellation_reasons(error)
                    if reasons and reasons[0] == "ConditionalCheckFailed":
                        raise Conflict("A pet with this id already exists; try again.") from None
                    if "TransactionConflict" not in reasons or attempt == _ADD_ATTEMPTS:
                        raise
                    time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not a secret
        self._stock_cache.forget()
        log.info("Stored pet %s", item["id"])
        return public_pet(item)

    def _put_new(self, item: Mapping[str, Any]) -> TransactWriteItemTypeDef:
        return {
            "Put": {
                "TableName": self._table.name,
                # the table resource's client turns Python values into DynamoDB's typed ones itself
                "Item": dict(item),
                "ConditionExpression": "attribute_not_exists(id)",
            }
        }

    def _count(self, item: Mapping[str, Any]) -> TransactWriteItemTypeDef:
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": {"id": STOCK_ID},
                "UpdateExpression": "ADD #type :one, #breed :one",
                "ExpressionAttributeNames": {
                    "#type": type_attribute(item["type"]),
                    "#breed": breed_attribute(item["type"], item["breed"]),
                },
                "ExpressionAttributeValues": {":one": 1},
            }
        }

    def load(self, pets: Iterable[Mapping[str, Any]]) -> int:
        """Writes pets that already have ids (seed data, imports) in batches, then recounts the stock."""
        count = 0
        with _storage_errors("load pets"), self._table.batch_writer(overwrite_by_pkeys=["id"]) as batch:
            for pet in pets:
                batch.put_item(Item=stored_item(pet))
                count += 1
        self.recount()
        return count

    def recount(self) -> Stock:
        """Counts every pet again (one scan) and rewrites the stock item; returns the stock."""
        with _storage_errors("count pets"):
            stock = Stock.of(self._scan_pets())
            self._table.put_item(Item=stock_item(stock))
        self._stock_cache.put(stock)
        return stock

    def reindex(self) -> int:
        """Gives every pet the index keys this version stores, and recounts; returns pets rewritten.

        Run after an upgrade that changes the keys (one scan, one write per pet that changed).
        """
        changed = 0
        with _storage_errors("reindex pets"), self._table.batch_writer(overwrite_by_pkeys=["id"]) as batch:
            for item in self._scan_pets():
                pet = {name: item[name] for name in PUBLIC_FIELDS}
                wanted = stored_item(pet)
                if any(item.get(name) != value for name, value in wanted.items()):
                    batch.put_item(Item={**item, **wanted})
                    changed += 1
        self.recount()
        return changed

    def _scan_pets(self) -> Iterator[dict[str, Any]]:
        request: dict[str, Any] = {}
        while True:
            response = self._table.scan(**request)
            yield from (item for item in response["Items"] if item["id"] != STOCK_ID)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def stock(self) -> Stock:
        """How many pets of each type and breed the store holds (cached for a short while)."""
        return self._stock_cache.get(self._read_stock)

    def _read_stock(self) -> Stock:
        with _storage_errors("read the stock"):
            return stock_from_item(self._table.get_item(Key={"id": STOCK_ID}).get("Item"))

    def get(self, pet_id: str) -> dict[str, Any]:
        with _storage_errors("read a pet"):
            item = self._table.get_item(Key={"id": pet_id}, ConsistentRead=True).get("Item")
        if item is None or item["id"] == STOCK_ID:
            raise NotFound(f"No pet has the id {pet_id!r}.")
        return public_pet(item)

    def existing_names(self, candidates: Iterable[str], deadline: Deadline | None = None) -> list[str]:
        """The names, as the store spells them, of ``candidates`` some pet is called (one read each,
        none started after ``deadline``)."""
        found = []
        for candidate in candidates:
            if deadline is not None and deadline.passed:
                log.warning("No time left to look up more names")
                break
            with _storage_errors("look up a name"):
                response = self._table.query(
                    IndexName=NAME_INDEX,
                    KeyConditionExpression=Key("name_key").eq(candidate.casefold()),
                    ProjectionExpression="#name",
                    ExpressionAttributeNames={"#name": "name"},
                    Limit=1,
                )
            found += [str(item["name"]) for item in response["Items"]]
        return found

    def listing(self, limit: int, start: dict[str, Any] | None = None) -> Page:
        """One page of all pets, in the table's own (stable, unsorted) order."""
        request: dict[str, Any] = {"Limit": limit + 1}
        if start:
            request["ExclusiveStartKey"] = start
        with _storage_errors("list pets"):
            response = self._table.scan(**request)
        items = [item for item in response["Items"] if item["id"] != STOCK_ID]
        more = len(items) > limit or "LastEvaluatedKey" in response
        items = items[:limit]
        next_key = {"id": items[-1]["id"]} if more and items else None
        return Page([public_pet(item) for item in items], next_key, response["ScannedCount"])

    def query(
        self,
        filters: PetFilters,
        sources: Iterable[Source],
        limit: int,
        positions: Positions | None = None,
        budget: ReadBudget | None = None,
    ) -> Found:
        """One page of the pets of ``sources`` matching ``filters``, in their sort order.

        ``positions`` must come from an earlier page of the same filters and sources.
        """
        budget = budget or ReadBudget()

        def read(**request: Any) -> Mapping[str, Any]:
            try:
                return self._table.query(**request)
            except (ClientError, BotoCoreError) as error:
                if budget.spent and _transient(error):
                    log.warning("DynamoDB failed mid-page, answering what was read: %s", error)
                    raise Interrupted from error
                raise

        with _storage_errors("search pets"):
            found: Found = read_page(read, filters, sources, limit, positions, budget)
        log.info(
            "Query read %d items and returned %d%s",
            found.items_read,
            len(found.pets),
            " (read budget spent)" if found.cut_short else "",
        )
        return replace(found, pets=[public_pet(item) for item in found.pets])


def _transient(error: ClientError | BotoCoreError) -> bool:
    """Throttling, a service error (any 5xx) or no answer at all: worth trying again later."""
    if isinstance(error, BotoCoreError):
        return True
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return error.response["Error"]["Code"] in _RETRYABLE or status >= 500


def _cancellation_reasons(error: ClientError) -> list[str]:
    if error.response["Error"]["Code"] != "TransactionCanceledException":
        return []
    reasons = error.response.get("CancellationReasons") or []
    return [str(reason.get("Code") or "None") for reason in reasons]


@contextlib.contextmanager
def _storage_errors(action: str) -> Iterator[None]:
    """Turns throttling and an unreachable DynamoDB into ServiceUnavailable; the rest propagates."""
    try:
        yield
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code == "ResourceNotFoundException":
            # Not an outage to retry through: the stage names a table that is not there.
            raise ConfigurationError(f"The pets table is missing: {error}") from None
        if not _transient(error) and not (
            code == "TransactionCanceledException" and "TransactionConflict" in _cancellation_reasons(error)
        ):
            raise
        log.warning("DynamoDB refused to %s: %s %s", action, code, error.response["Error"].get("Message"))
        raise ServiceUnavailable(f"The pet store could not {action} just now; please retry.") from None
    except BotoCoreError as error:
        log.warning("DynamoDB unreachable while trying to %s: %s", action, error)
        raise ServiceUnavailable(f"The pet store could not {action} just now; please retry.") from None
