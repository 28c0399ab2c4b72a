"""Reading a question's pets from DynamoDB: one Query stream per source, merged in the question's order.

Each stream reads its index in sort order, a few items at a time, so a page reads about what it
returns however many types, breeds or catalog shards it merges (a k-way merge on the sort field).
A page remembers, per stream, the key of the last item it took: the next page resumes every
stream there. The request's read budget (items and a deadline) ends a page early, with what it has
and the positions to go on from.

Two reads keep empty answers cheap. A first page first asks each stream's other index whether any
pet of the source lies within the bounds on the field the stream filters on (one Query, Limit 1):
a source with none is not read at all, where its stream would otherwise read every pet of the
source to find nothing. And a name's few pets are read whole and sorted, so their order holds
across pages.
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

from chalicelib.adapters.storage.pet_store import Found, ReadBudget
from chalicelib.adapters.storage.table import (
    CATALOG_SHARDS,
    INDEX_KEYS,
    NAME_INDEX,
    SORTED_INDEXES,
    catalog_shard,
)
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.selection import ALL, Source, breed_key, order_of

# A stream with a filter reads as many items as the page still needs, divided by the share of items
# that matched so far (at least this share, so that one unlucky call cannot ask for the budget).
MIN_MATCH_SHARE = 0.05


class Interrupted(Exception):
    """A read failed for now (throttled, unreachable) after the page had read something: the page
    ends with what it has, and its positions let "show more" try again."""


QueryFn = Callable[..., Mapping[str, Any]]


@dataclass
class _Tally:
    """What one page has read and kept so far, against the request's budget."""

    budget: ReadBudget
    read: int = 0
    matched: int = 0

    def charge(self, response: Mapping[str, Any]) -> None:
        scanned = int(response["ScannedCount"])
        self.read += scanned
        self.matched += len(response["Items"])
        self.budget.charge(scanned)


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
    # Whether any pet of the source passes the bound on the other field: one Query of its index.
    probe: dict[str, Any] | None = None

    def fetch(self, query: QueryFn, wanted: int, tally: _Tally) -> None:
        # The streams of one page share their filter, so the share that matched so far is pooled.
        share = max(tally.matched / tally.read, MIN_MATCH_SHARE) if tally.read else 1.0
        limit = math.ceil(max(wanted, 1) / share)
        request: dict[str, Any] = {
            "IndexName": self.index,
            "KeyConditionExpression": self.key_condition,
            "ScanIndexForward": self.forward,
            "Limit": max(1, min(limit, tally.budget.remaining)),
        }
        if self.filter is not None:
            request["FilterExpression"] = self.filter
        if self.start:
            request["ExclusiveStartKey"] = self.start
        response = query(**request)
        tally.charge(response)
        self.buffer.extend(response["Items"])
        self.start = response.get("LastEvaluatedKey")
        self.exhausted = self.start is None

    def may_match(self, query: QueryFn, tally: _Tally) -> bool:
        """False only when the probe shows no pet of the source within the other field's bounds."""
        if self.probe is None or not tally.budget.left:
            return True
        response = query(**self.probe, Limit=1)
        tally.charge(response)
        # An item filtered out (a breed of another type) says nothing: only an empty index range does.
        return bool(response["Items"]) or "LastEvaluatedKey" in response

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
    tally = _Tally(budget)
    streams = _streams(filters, tuple(sources), positions)
    if filters.name:
        return _name_page(query, streams, filters, limit, positions, tally)
    order = order_of(filters)
    pets: list[dict[str, Any]] = []
    try:
        if positions is None:
            streams = [stream for stream in streams if stream.may_match(query, tally)]
        heads: list[tuple[Decimal, int]] = []  # (sort key, stream number): one per stream with a buffer
        for number, stream in enumerate(streams):
            _fill(stream, query, _share(limit, streams), tally)
            if stream.buffer:
                heads.append((_sort_key(stream.buffer[0], order), number))
        heapq.heapify(heads)
        while len(pets) < limit and heads and not _blind(streams):
            _, number = heapq.heappop(heads)
            stream = streams[number]
            pets.append(stream.take())
            _fill(stream, query, _share(limit - len(pets), streams), tally)
            if stream.buffer:
                heapq.heappush(heads, (_sort_key(stream.buffer[0], order), number))
        # Look one item past the page, so that no positions means no more pets.
        for stream in streams:
            _fill(stream, query, 1, tally)
    except Interrupted:
        return _found(pets, streams, tally, cut_short=True)
    return _found(pets, streams, tally, cut_short=_blind(streams))


def _found(pets: list[dict[str, Any]], streams: list[_Stream], tally: _Tally, cut_short: bool) -> Found:
    # Pets taken so far came out in order: each stream not done resumes after its last one taken
    # (a stream whose read failed, from there too).
    left = {stream.name: stream.resume for stream in streams if not stream.done}
    return Found(pets, left or None, tally.read, cut_short)


def _fill(stream: _Stream, query: QueryFn, wanted: int, tally: _Tally) -> None:
    while not stream.buffer and not stream.exhausted and tally.budget.left:
        stream.fetch(query, wanted, tally)


def _blind(streams: list[_Stream]) -> bool:
    """Whether a stream's next item is unknown (the budget ran out): the merge cannot go past it."""
    return any(not stream.buffer and not stream.exhausted for stream in streams)


def _name_page(
    query: QueryFn,
    streams: list[_Stream],
    filters: PetFilters,
    limit: int,
    positions: Mapping[str, dict[str, Any]] | None,
    tally: _Tally,
) -> Found:
    # The name index has no order of its own: a name's pets are read whole, every page, and sorted
    # here, so the order holds across pages; a page goes on after the last pet it handed out.
    if not streams:
        return Found([], None, tally.read)
    stream = streams[0]
    items: list[dict[str, Any]] = []
    try:
        while not stream.exhausted and tally.budget.left:
            stream.fetch(query, limit, tally)
            items.extend(stream.buffer)
            stream.buffer.clear()
    except Interrupted:
        return Found([], dict(positions or {}) or {stream.name: {}}, tally.read, cut_short=True)
    after = _after(items, filters, (positions or {}).get(stream.name))
    if not stream.exhausted:
        # More of this name than one request may read: what was read is answered in order, and no more.
        return Found(after[:limit], None, tally.read, cut_short=True)
    page, more = after[:limit], len(after) > limit
    last = page[-1] if page else None
    left = {stream.name: _name_position(last, filters)} if more and last else None
    return Found(page, left, tally.read)


def _after(
    items: list[dict[str, Any]], filters: PetFilters, position: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """``items`` in the question's order (ties by id), those after ``position`` only."""
    order = order_of(filters)

    def key(item: Mapping[str, Any]) -> tuple[Decimal, str]:
        return (_sort_key(item, order), str(item["id"]))

    ordered = sorted(items, key=key)
    if not position:
        return ordered
    mark = key(position)
    return [item for item in ordered if key(item) > mark]


def _name_position(item: Mapping[str, Any], filters: PetFilters) -> dict[str, Any]:
    field_name = order_of(filters).field
    return {"id": item["id"], field_name: item[field_name]}


def _share(wanted: int, streams: list[_Stream]) -> int:
    # An even share of what the page still needs, among the streams that may still supply it.
    active = sum(1 for stream in streams if not stream.done) or 1
    return math.ceil(max(wanted, 1) / active)


def _sort_key(item: Mapping[str, Any], order: SortBy) -> Decimal:
    value = Decimal(item[order.field])
    return -value if order.descending else value


def _streams(
    filters: PetFilters, sources: tuple[Source, ...], positions: Mapping[str, dict[str, Any]] | None
) -> list[_Stream]:
    def stream(
        name: str, index: str, key: ConditionBase, filter_: ConditionBase | None, probe: dict[str, Any] | None
    ) -> _Stream | None:
        if positions is not None and name not in positions:
            return None  # read to its end on an earlier page
        # A name's pets are read from the start every page; its position is the last pet handed out.
        start = dict(positions[name]) if positions is not None and index != NAME_INDEX else {}
        forward = not (filters.sort_by and filters.sort_by.descending)
        return _Stream(name, index, key, filter_, forward, start or None, resume=start, probe=probe)

    made: list[_Stream | None] = []
    excluded = _exclusions(filters)
    if filters.name:
        if sources:
            matches = None if sources == (ALL,) else _any(_condition(source) for source in sources)
            conditions = (_range(Attr, "price", filters), _range(Attr, "age", filters), matches, excluded)
            key = Key("name_key").eq(filters.name.casefold())
            made.append(stream("name", NAME_INDEX, key, _all(conditions), None))
        return [s for s in made if s]
    field_name = order_of(filters).field
    other = "age" if field_name == "price" else "price"
    key_range, other_range = _range(Key, field_name, filters), _range(Key, other, filters)
    for source in sources:
        for name, partition, value, extra in _partitions(source):
            key = Key(partition).eq(value)
            condition = _all((_range(Attr, other, filters), extra, excluded))
            probe = None
            if other_range is not None:
                probe = {
                    "IndexName": _SORTED_BY[(partition, other)],
                    "KeyConditionExpression": key & other_range,
                }
                if extra is not None:
                    probe["FilterExpression"] = extra
            index = _SORTED_BY[(partition, field_name)]
            made.append(
                stream(name, index, key & key_range if key_range is not None else key, condition, probe)
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
