"""The pets table: its layout, writes that never overwrite, and paged reads through its indexes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.errors import ConfigurationError, Conflict, NotFound, ServiceUnavailable
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.pets import NewPet, public_pet

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

log = logging.getLogger(__name__)

# Every pet carries catalog=CATALOG so that questions without a type still read an index in
# price or age order instead of scanning; a pet store's write rate is far below what one
# index partition takes.
CATALOG = "pet"
NAME_INDEX = "name"
# index name -> (partition key, sort key)
SORTED_INDEXES: dict[str, tuple[str, str]] = {
    "type-price": ("type", "price"),
    "type-age": ("type", "age"),
    "catalog-price": ("catalog", "price"),
    "catalog-age": ("catalog", "age"),
}
_ATTRIBUTE_TYPES = {"id": "S", "type": "S", "catalog": "S", "name_key": "S", "price": "N", "age": "N"}
# Reads one query may make before it answers with a partial page and a token to go on.
MAX_READ_PER_PAGE = 50
_FILTERED_BATCH = 50
_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
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


@dataclass(frozen=True)
class Page:
    """Pets, and the key the next page starts after (None at the end)."""

    pets: list[dict[str, Any]]
    last_key: dict[str, Any] | None
    items_read: int


@dataclass(frozen=True)
class _Plan:
    """How one question reads the table: which index, in which order, filtered how."""

    index: str
    key_condition: ConditionBase
    filter: ConditionBase | None
    forward: bool

    @property
    def key_attributes(self) -> tuple[str, ...]:
        if self.index == NAME_INDEX:
            return ("id", "name_key")
        return ("id", *SORTED_INDEXES[self.index])


class PetStore:
    """Pets in DynamoDB, handed its table resource.

    Pages start after a DynamoDB key and end with one; turning keys into tokens a client may
    hold is the caller's business.
    """

    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, pet: NewPet) -> dict[str, Any]:
        item = _stored_item(pet.with_id())
        with _storage_errors("add a pet"):
            try:
                self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(id)")
            except ClientError as error:
                if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    raise Conflict("A pet with this id already exists; try again.") from None
                raise
        log.info("Stored pet %s", item["id"])
        return public_pet(item)

    def load(self, pets: Iterable[Mapping[str, Any]]) -> int:
        """Writes pets that already have ids (seed data, imports) in batches; returns the count."""
        count = 0
        with _storage_errors("load pets"), self._table.batch_writer(overwrite_by_pkeys=["id"]) as batch:
            for pet in pets:
                batch.put_item(Item=_stored_item(pet))
                count += 1
        return count

    def get(self, pet_id: str) -> dict[str, Any]:
        with _storage_errors("read a pet"):
            item = self._table.get_item(Key={"id": pet_id}, ConsistentRead=True).get("Item")
        if item is None:
            raise NotFound(f"No pet has the id {pet_id!r}.")
        return public_pet(item)

    def existing_names(self, candidates: Iterable[str]) -> list[str]:
        """The names, as the store spells them, of ``candidates`` some pet is called (one read each)."""
        found = []
        for candidate in candidates:
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
        items = response["Items"]
        more = len(items) > limit or "LastEvaluatedKey" in response
        items = items[:limit]
        next_key = {"id": items[-1]["id"]} if more and items else None
        return Page([public_pet(item) for item in items], next_key, response["ScannedCount"])

    def query(self, filters: PetFilters, limit: int, start: dict[str, Any] | None = None) -> Page:
        """One page of the pets matching ``filters`` in their sort order, read through an index.

        ``start`` must be a ``last_key`` of the same filters: the index a question reads follows
        from its filters, and a key only means something in its own index.
        """
        plan = _plan(filters)
        items, last_key, read = self._read(plan, limit, start)
        if len(items) > limit:
            items = items[:limit]
            last_key = {name: items[-1][name] for name in plan.key_attributes}
        if plan.index == NAME_INDEX and filters.sort_by:
            # The name index has no order of its own; a name's few pets are sorted here.
            order = filters.sort_by
            items.sort(key=lambda item: item[order.field], reverse=order.descending)
        log.info("Query read %d items from index %s and returned %d", read, plan.index, len(items))
        return Page([public_pet(item) for item in items], last_key, read)

    def _read(
        self, plan: _Plan, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None, int]:
        # Reads one item past the page so that a missing next_token means the end, and stops at
        # MAX_READ_PER_PAGE * limit so that a rare match cannot make one request read the table.
        items: list[dict[str, Any]] = []
        read = 0
        while True:
            wanted = limit + 1 - len(items)
            request: dict[str, Any] = {
                "IndexName": plan.index,
                "KeyConditionExpression": plan.key_condition,
                "ScanIndexForward": plan.forward,
                "Limit": max(wanted, _FILTERED_BATCH) if plan.filter is not None else wanted,
            }
            if plan.filter is not None:
                request["FilterExpression"] = plan.filter
            if start:
                request["ExclusiveStartKey"] = start
            with _storage_errors("search pets"):
                response = self._table.query(**request)
            items.extend(response["Items"])
            read += response["ScannedCount"]
            start = response.get("LastEvaluatedKey")
            if len(items) > limit or start is None or read >= MAX_READ_PER_PAGE * limit:
                return items, start, read


def _stored_item(pet: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **pet,
        "catalog": CATALOG,
        "name_key": pet["name"].casefold(),
        "breed_key": pet["breed"].casefold(),
    }


def _plan(filters: PetFilters) -> _Plan:
    if filters.name:
        return _Plan(
            NAME_INDEX,
            Key("name_key").eq(filters.name.casefold()),
            _combine(
                _range(Attr, "price", filters), _range(Attr, "age", filters), _type(filters), _breed(filters)
            ),
            forward=True,
        )
    field = _sort_field(filters)
    other = "age" if field == "price" else "price"
    if filters.type_filter:
        index, key = f"type-{field}", Key("type").eq(filters.type_filter)
    else:
        index, key = f"catalog-{field}", Key("catalog").eq(CATALOG)
    key_range = _range(Key, field, filters)
    return _Plan(
        index,
        key & key_range if key_range is not None else key,
        _combine(_range(Attr, other, filters), _breed(filters)),
        forward=not (filters.sort_by and filters.sort_by.descending),
    )


def _sort_field(filters: PetFilters) -> str:
    if filters.sort_by:
        return filters.sort_by.field
    if filters.min_age is None and filters.max_age is None:
        return SortBy.PRICE_ASC.field
    if filters.min_price is None and filters.max_price is None:
        return SortBy.AGE_ASC.field
    return SortBy.PRICE_ASC.field


def _range(kind: type[Key] | type[Attr], field: str, filters: PetFilters) -> ConditionBase | None:
    low, high = getattr(filters, f"min_{field}"), getattr(filters, f"max_{field}")
    if low is not None and high is not None:
        return kind(field).between(low, high)
    if low is not None:
        return kind(field).gte(low)
    if high is not None:
        return kind(field).lte(high)
    return None


def _type(filters: PetFilters) -> ConditionBase | None:
    return Attr("type").eq(filters.type_filter) if filters.type_filter else None


def _breed(filters: PetFilters) -> ConditionBase | None:
    return Attr("breed_key").contains(filters.breed.casefold()) if filters.breed else None


def _combine(*conditions: ConditionBase | None) -> ConditionBase | None:
    present = [condition for condition in conditions if condition is not None]
    if not present:
        return None
    combined = present[0]
    for condition in present[1:]:
        combined = combined & condition
    return combined


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
        if code not in _RETRYABLE:
            raise
        log.warning("DynamoDB refused to %s: %s %s", action, code, error.response["Error"].get("Message"))
        raise ServiceUnavailable(f"The pet store could not {action} just now; please retry.") from None
    except BotoCoreError as error:
        log.warning("DynamoDB unreachable while trying to %s: %s", action, error)
        raise ServiceUnavailable(f"The pet store could not {action} just now; please retry.") from None
