"""Pets in DynamoDB, as the request path uses them: adds that never overwrite, are safe to retry and
keep the stock item current, one pet, a listing, names, and a question's pages."""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.aws import TRANSIENT_ERROR_CODES
from chalicelib.adapters.storage.dynamodb_streams import Interrupted, read_page
from chalicelib.adapters.storage.pet_store import Found, Page, Positions, ReadBudget
from chalicelib.adapters.storage.stock_item import (
    STOCK_ID,
    STOCK_VERSION,
    StockCache,
    breed_attribute,
    stock_from_item,
    type_attribute,
)
from chalicelib.adapters.storage.table import NAME_INDEX, stored_item
from chalicelib.domain.errors import ConfigurationError, Conflict, NotFound, ServiceUnavailable
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.pets import NewPet, public_pet
from chalicelib.domain.selection import Source
from chalicelib.domain.stock import Stock

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

log = logging.getLogger(__name__)

# Two adds at once both update the stock item: DynamoDB cancels one transaction, which is tried again.
_ADD_ATTEMPTS = 5


class DynamoPetStore:
    """Pets in DynamoDB, handed its table resource (and, to share it, the container's stock cache)."""

    def __init__(self, table: Table, stock_cache: StockCache | None = None) -> None:
        self._table = table
        self._stock_cache = stock_cache or StockCache()

    def add(self, pet: NewPet) -> dict[str, Any]:
        """Stores ``pet`` under a new id and counts it in the stock item, in one transaction.

        The transaction carries a ClientRequestToken (the new id): when a first attempt commits but
        its answer is lost, botocore's retry is the same request and DynamoDB answers it as a
        success instead of failing the condition that keeps an id from being written twice.
        """
        item = stored_item(pet.with_id())
        writes = [self._put_new(item), self._count(item)]
        with storage_errors("add a pet"):
            for attempt in range(1, _ADD_ATTEMPTS + 1):
                try:
                    self._table.meta.client.transact_write_items(
                        TransactItems=writes, ClientRequestToken=str(item["id"])
                    )
                    break
                except ClientError as error:
                    reasons = cancellation_reasons(error)
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
                "UpdateExpression": "ADD #type :one, #breed :one, #version :one",
                "ExpressionAttributeNames": {
                    "#type": type_attribute(item["type"]),
                    "#breed": breed_attribute(item["type"], item["breed"]),
                    "#version": STOCK_VERSION,
                },
                "ExpressionAttributeValues": {":one": 1},
            }
        }

    def stock(self) -> Stock:
        """How many pets of each type and breed the store holds (cached for a short while)."""
        return self._stock_cache.get(self._read_stock)

    def _read_stock(self) -> Stock:
        with storage_errors("read the stock"):
            return stock_from_item(self._table.get_item(Key={"id": STOCK_ID}).get("Item"))

    def get(self, pet_id: str) -> dict[str, Any]:
        with storage_errors("read a pet"):
            item = self._table.get_item(Key={"id": pet_id}, ConsistentRead=True).get("Item")
        if item is None or item["id"] == STOCK_ID:
            raise NotFound(f"No pet has the id {pet_id!r}.")
        return public_pet(item)

    def existing_names(self, candidates: Iterable[str], budget: ReadBudget) -> list[str]:
        """The names, as the store spells them, of ``candidates`` some pet is called (one read each,
        none started once ``budget`` is spent or its deadline has passed)."""
        found = []
        for candidate in candidates:
            if not budget.left:
                log.warning("No reads left to look up more names")
                break
            with storage_errors("look up a name"):
                response = self._table.query(
                    IndexName=NAME_INDEX,
                    KeyConditionExpression=Key("name_key").eq(candidate.casefold()),
                    ProjectionExpression="#name",
                    ExpressionAttributeNames={"#name": "name"},
                    Limit=1,
                )
            budget.charge(int(response["ScannedCount"]))
            found += [str(item["name"]) for item in response["Items"]]
        return found

    def listing(self, limit: int, start: Mapping[str, Any] | None = None) -> Page:
        """One page of all pets, in the table's own (stable, unsorted) order."""
        request: dict[str, Any] = {"Limit": limit + 1}
        if start:
            request["ExclusiveStartKey"] = dict(start)
        with storage_errors("list pets"):
            response = self._table.scan(**request)
        items = [item for item in response["Items"] if item["id"] != STOCK_ID]
        more = len(items) > limit or "LastEvaluatedKey" in response
        items = items[:limit]
        next_key = {"id": items[-1]["id"]} if more and items else None
        return Page([public_pet(item) for item in items], next_key, response["ScannedCount"])

    def query(
        self, filters: PetFilters, sources: Iterable[Source], limit: int, positions: Positions | None = None,
        budget: ReadBudget | None = None,
    ) -> Found:  # fmt: skip
        """One page of the pets of ``sources`` matching ``filters``, in their sort order.

        ``positions`` must come from an earlier page of the same filters and sources.
        """
        budget = budget or ReadBudget()

        def read(**request: Any) -> Mapping[str, Any]:
            try:
                return self._table.query(**request)
            except (ClientError, BotoCoreError) as error:
                if budget.spent and transient(error):
                    log.warning("DynamoDB failed mid-page, answering what was read: %s", error)
                    raise Interrupted from error
                raise

        with storage_errors("search pets"):
            found: Found = read_page(read, filters, sources, limit, positions, budget)
        log.info(
            "Query read %d items and returned %d%s",
            found.items_read,
            len(found.pets),
            " (read budget spent)" if found.cut_short else "",
        )
        return replace(found, pets=[public_pet(item) for item in found.pets])


def transient(error: ClientError | BotoCoreError) -> bool:
    """Throttling, a service error (any 5xx) or no answer at all: worth trying again later."""
    if isinstance(error, BotoCoreError):
        return True
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return error.response["Error"]["Code"] in TRANSIENT_ERROR_CODES or status >= 500


def cancellation_reasons(error: ClientError) -> list[str]:
    if error.response["Error"]["Code"] != "TransactionCanceledException":
        return []
    reasons = error.response.get("CancellationReasons") or []
    return [str(reason.get("Code") or "None") for reason in reasons]


@contextlib.contextmanager
def storage_errors(action: str) -> Iterator[None]:
    """Turns throttling and an unreachable DynamoDB into ServiceUnavailable; the rest propagates."""
    try:
        yield
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code == "ResourceNotFoundException":
            # Not an outage to retry through: the stage names a table that is not there.
            raise ConfigurationError(f"The pets table is missing: {error}") from None
        if not transient(error) and not (
            code == "TransactionCanceledException" and "TransactionConflict" in cancellation_reasons(error)
        ):
            raise
        log.warning("DynamoDB refused to %s: %s %s", action, code, error.response["Error"].get("Message"))
        raise ServiceUnavailable(f"The pet store could not {action} just now; please retry.") from None
    except BotoCoreError as error:
        log.warning("DynamoDB unreachable while trying to %s: %s", action, error)
        raise ServiceUnavailable(f"The pet store could not {action} just now; please retry.") from None
