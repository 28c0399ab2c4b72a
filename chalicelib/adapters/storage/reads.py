"""Reading a question's pets: one Query stream per source, merged in the question's order.

Each stream reads its index in sort order, a few items at a time, so a page reads about what it
returns however many types, breeds or catalog shards it merges (a k-way merge on the sort field).
A page remembers, per stream, the key of the last item it took: the next page resumes every
stream there. A read budget (items and a deadline) ends a page early, with what it has and the
positions to go on from.
"""

from __future__ import annotations

import functools
import heapq
import math
import operator
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, ConditionBase, Key

from chalicelib.adapters.storage.table import (
    CATALOG_SHARDS,
    INDEX_KEYS,
    NAME_INDEX,
    SORTED_INDEXES,
    catalog_shard,
)
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.selection import ALL, Source, breed_key

# Items one question may read for a page, whatever its limit: past it, the page ends with what
# it found and a token to go on.
MAX_ITEMS_READ = 1000
# A stream with a filter reads as many items as the page still needs, divided by the share of items
# that matched so far (at least this share, so that one unlucky call cannot ask for the budget).
MIN_MATCH_SHARE = 0.05

Positions = dict[str, dict[str, Any]]


class Interrupted(Exception):
    """A read failed for now (throttled, unreachable) after the page had read something: the page
    ends with what it has, and its positions let "show more" try again."""


QueryFn = Callable[..., Mapping[str, Any]]


@dataclass
class ReadBudget:
    """How much one page may read: ``items`` in all, and no call started after ``deadline``."""

    items: int = MAX_ITEMS_READ
    deadline: Deadline | None = None
    spent: int = 0
    matched: int = 0

    @property
    def left(self) -> bool:
        in_time = self.deadline is None or not self.deadline.passed
        return self.spent < self.items and in_time


@dataclass(frozen=True)
class Found:
    """One page of a question's pets; ``positions`` is None when nothing is left to read."""

    pets: list[dict[str, Any]]
    positions: Positions | None
    items_read: int
    cut_short: bool = False


@dataclass
class _Stream:
    name: str
    index: str
    key_condition: ConditionBase
    filter: ConditionBase | None
    forward: bool
    start: dict[str, Any] | None
    resume: dict[str, Any] = field(default_factory=dict)
    buffer: deque[dict[str, Any]] = field(default_factory=deque)
    exhausted: bool = False

    def fetch(self, query: QueryFn, wanted: int, budget: ReadBudget) -> None:
        # The streams of one page share their filter, so the share that matched so far is pooled.
        share = max(budget.matched / budget.spent, MIN_MATCH_SHARE) if budget.spent else 1.0
        limit = math.ceil(max(wanted, 1) / share)
        request: dict[str, Any] = {
            "IndexName": self.index,
            "KeyConditionExpression": self.key_condition,
            "ScanIndexForward": self.forward,
            "Limit": max(1, min(limit, budget.items - budget.spent)),
        }
        if self.filter is not None:
            request["FilterExpression"] = self.filter
        if self.start:
            request["ExclusiveStartKey"] = self.start
        response = query(**request)
        budget.spent += int(response["ScannedCount"])
        budget.matched += len(response["Items"])
        self.buffer.extend(response["Items"])
        self.start = response.get("LastEvaluatedKey")
        self.exhausted = self.start is None

    def take(self) -> dict[str, Any]:
        item = self.buffer.popleft()
        self.resume = {name: item[name] for name in INDEX_KEYS[self.index]}
        return item

    @property
    def done(self) -> bool:
        return self.exhausted and not self.buffer


def read_page(
    query: QueryFn,
    filters: PetFilters,
    sources: Iterable[Source],
    limit: int,
    positions: Mapping[str, dict[str, Any]] | None,
    budget: ReadBudget,
) -> Found:
    """Up to ``limit`` pets of ``sources`` matching ``filters``, in their order, from ``positions`` on."""
    streams = _streams(filters, tuple(sources), positions)
    if filters.name and not streams:
        return _found([], [], budget, cut_short=False)
    if filters.name:
        return _name_page(query, streams[0], filters, limit, budget)
    order = filters.sort_by or _default_order(filters)
    pets: list[dict[str, Any]] = []
    heads: list[tuple[Decimal, int]] = []  # (sort key, stream number): one per stream with a buffer
    for number, stream in enumerate(streams):
        try:
            _fill(stream, query, _share(limit, streams), budget)
        except Interrupted:
            return _found(pets, streams, budget, cut_short=True)
        if stream.buffer:
            heads.append((_sort_key(stream.buffer[0], order), number))
    heapq.heapify(heads)
    try:
        while len(pets) < limit and heads and not _blind(streams):
            _, number = heapq.heappop(heads)
            stream = streams[number]
            pets.append(stream.take())
            _fill(stream, query, _share(limit - len(pets), streams), budget)
            if stream.buffer:
                heapq.heappush(heads, (_sort_key(stream.buffer[0], order), number))
        # Look one item past the page, so that no positions means no more pets.
        for stream in streams:
            _fill(stream, query, 1, budget)
    except Interrupted:
        return _found(pets, streams, budget, cut_short=True)
    return _found(pets, streams, budget, cut_short=_blind(streams))


def _found(pets: list[dict[str, Any]], streams: list[_Stream], budget: ReadBudget, cut_short: bool) -> Found:
    # Pets taken so far came out in order: each stream not done resumes after its last one taken
    # (a stream whose read failed, from there too).
    left = {stream.name: stream.resume for stream in streams if not stream.done}
    return Found(pets, left or None, budget.spent, cut_short)


def _fill(stream: _Stream, query: QueryFn, wanted: int, budget: ReadBudget) -> None:
    while not stream.buffer and not stream.exhausted and budget.left:
        stream.fetch(query, wanted, budget)


def _blind(streams: list[_Stream]) -> bool:
    """Whether a stream's next item is unknown (the budget ran out): the merge cannot go past it."""
    return any(not stream.buffer and not stream.exhausted for stream in streams)


def _name_page(query: QueryFn, stream: _Stream, filters: PetFilters, limit: int, budget: ReadBudget) -> Found:
    # The name index has no order of its own; a name's few pets are sorted here, a page at a time.
    pets: list[dict[str, Any]] = []
    try:
        _fill(stream, query, limit + 1, budget)
        while len(pets) < limit and stream.buffer:
            pets.append(stream.take())
            _fill(stream, query, limit + 1 - len(pets), budget)
    except Interrupted:
        return _found(pets, [stream], budget, cut_short=True)
    if filters.sort_by:
        order = filters.sort_by
        pets.sort(key=lambda pet: pet[order.field], reverse=order.descending)
    return _found(pets, [stream], budget, cut_short=_blind([stream]))


def _share(wanted: int, streams: list[_Stream]) -> int:
    # An even share of what the page still needs, among the streams that may still supply it.
    active = sum(1 for stream in streams if not stream.done) or 1
    return math.ceil(max(wanted, 1) / active)


def _sort_key(item: Mapping[str, Any], order: SortBy) -> Decimal:
    value = Decimal(item[order.field])
    return -value if order.descending else value


def _default_order(filters: PetFilters) -> SortBy:
    # With no order asked for, read the index of the field the question bounds (price first).
    if filters.min_age is None and filters.max_age is None:
        return SortBy.PRICE_ASC
    if filters.min_price is None and filters.max_price is None:
        return SortBy.AGE_ASC
    return SortBy.PRICE_ASC


def _streams(
    filters: PetFilters, sources: tuple[Source, ...], positions: Mapping[str, dict[str, Any]] | None
) -> list[_Stream]:
    def stream(name: str, index: str, key: ConditionBase, filter_: ConditionBase | None) -> _Stream | None:
        if positions is not None and name not in positions:
            return None  # read to its end on an earlier page
        start = dict(positions[name]) if positions is not None else {}
        forward = not (filters.sort_by and filters.sort_by.descending)
        return _Stream(name, index, key, filter_, forward, start or None, resume=start)

    made: list[_Stream | None] = []
    excluded = _exclusions(filters)
    if filters.name:
        matches = None if sources == (ALL,) else _any(_condition(source) for source in sources)
        conditions = (
            _range(Attr, "price", filters),
            _range(Attr, "age", filters),
            matches,
            excluded,
        )
        if sources:
            made.append(
                stream("name", NAME_INDEX, Key("name_key").eq(filters.name.casefold()), _all(conditions))
            )
        return [s for s in made if s]
    field_name = (filters.sort_by or _default_order(filters)).field
    other = "age" if field_name == "price" else "price"
    key_range = _range(Key, field_name, filters)
    for source in sources:
        for name, partition, value, extra in _partitions(source):
            key = Key(partition).eq(value)
            condition = _all((_range(Attr, other, filters), extra, excluded))
            made.append(
                stream(
                    name,
                    _SORTED_BY[(partition, field_name)],
                    key & key_range if key_range is not None else key,
                    condition,
                )
            )
    return [s for s in made if s]


# (partition key, sort key) -> the index sorted that way
_SORTED_BY = {keys: name for name, keys in SORTED_INDEXES.items()}


def _partitions(source: Source) -> list[tuple[str, str, str, ConditionBase | None]]:
    """(stream name, partition attribute, value, extra condition) for each stream of ``source``."""
    if source.kind == "all":
        return [(f"all:{n}", "catalog", catalog_shard(n), None) for n in range(CATALOG_SHARDS)]
    if source.kind == "type":
        return [(source.key, "type", source.value, None)]
    return [(source.key, "breed_key", source.value, _types(source.of_types))]


def _condition(source: Source) -> ConditionBase | None:
    if source.kind == "type":
        return Attr("type").eq(source.value)
    if source.kind == "breed":
        return _all((Attr("breed_key").eq(source.value), _types(source.of_types)))
    return None


def _types(kinds: tuple[str, ...]) -> ConditionBase | None:
    if not kinds:
        return None
    return Attr("type").eq(kinds[0]) if len(kinds) == 1 else Attr("type").is_in(list(kinds))


def _exclusions(filters: PetFilters) -> ConditionBase | None:
    conditions: list[ConditionBase | None] = []
    if filters.exclude_types:
        conditions.append(~Attr("type").is_in(list(filters.exclude_types)))
    if filters.exclude_breeds:
        conditions.append(~Attr("breed_key").is_in([breed_key(b) for b in filters.exclude_breeds]))
    return _all(conditions)


def _range(kind: type[Key] | type[Attr], name: str, filters: PetFilters) -> ConditionBase | None:
    low, high = getattr(filters, f"min_{name}"), getattr(filters, f"max_{name}")
    if low is not None and high is not None:
        return kind(name).between(low, high)
    if low is not None:
        return kind(name).gte(low)
    if high is not None:
        return kind(name).lte(high)
    return None


def _all(conditions: Iterable[ConditionBase | None]) -> ConditionBase | None:
    """Every condition given (None where none is)."""
    return _joined(conditions, operator.and_)


def _any(conditions: Iterable[ConditionBase | None]) -> ConditionBase | None:
    """Any of the conditions given (None where none is)."""
    return _joined(conditions, operator.or_)


def _joined(
    conditions: Iterable[ConditionBase | None], join: Callable[[ConditionBase, ConditionBase], ConditionBase]
) -> ConditionBase | None:
    present = [condition for condition in conditions if condition is not None]
    return functools.reduce(join, present) if present else None
