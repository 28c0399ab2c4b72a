"""The DynamoDB store's own ways: reads about what it returns, probes, transactions safe to retry,
errors, the stock item and its recount."""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError
from botocore.stub import Stubber

from chalicelib.adapters.storage import (
    STOCK_ID,
    DynamoPetStore,
    PetTableUpkeep,
    ReadBudget,
    StockCache,
    table_definition,
)
from chalicelib.adapters.storage.stock_item import stock_from_item
from chalicelib.domain.errors import ConfigurationError, Conflict, NotFound, ServiceUnavailable
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.pets import NewPet
from chalicelib.domain.selection import sources
from infra.seed import sample_pets


def new_pet(**fields: Any) -> NewPet:
    return NewPet(
        **{"name": "Rex", "type": "dog", "breed": "Boxer", "age": Decimal(2), "price": Decimal(300), **fields}
    )


def test_a_put_never_overwrites(store: DynamoPetStore, table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NewPet, "with_id", lambda self: {"id": "1", **self.model_dump()})
    with pytest.raises(Conflict):
        store.add(new_pet(name="Impostor"))
    assert store.get("1")["name"] == "Buddy"


def test_a_typed_sorted_query_reads_about_what_it_returns(store: DynamoPetStore) -> None:
    filters = PetFilters(type_filter="dog", sort_by=SortBy.PRICE_ASC)
    page = store.query(filters, sources(filters, {}), limit=3)
    assert len(page.pets) == 3 and page.items_read <= 4
    last = page.pets[-1]
    assert page.positions == {
        "type:dog": {"id": last["id"], "type": "dog", "price": Decimal(str(last["price"]))}
    }


def test_several_types_read_about_what_they_return(store: DynamoPetStore) -> None:
    filters = PetFilters(types=("cat", "dog", "bird"), sort_by=SortBy.PRICE_ASC)
    page = store.query(filters, sources(filters, {}), limit=5)
    assert len(page.pets) == 5 and page.items_read <= 5 + 3 + 3
    assert set(page.positions or {}) == {"type:bird", "type:cat", "type:dog"}


def test_a_page_stops_at_its_read_budget_and_goes_on_from_there(store: DynamoPetStore) -> None:
    # old pets and cheap pets there are, but no old cheap pet: only reading finds that out
    filters = PetFilters(min_age=Decimal("9.5"), max_price=Decimal(50), sort_by=SortBy.PRICE_ASC)
    page = store.query(filters, sources(filters, {}), limit=5, budget=ReadBudget(items=3))
    assert page.pets == [] and page.cut_short and page.positions and page.items_read <= 3 + 4
    rest = store.query(filters, sources(filters, {}), limit=5, positions=page.positions)
    assert rest.pets == [] and rest.positions is None and not rest.cut_short


@pytest.mark.parametrize(
    "filters",
    [
        PetFilters(type_filter="cat", min_age=Decimal(150), sort_by=SortBy.PRICE_ASC),
        PetFilters(min_age=Decimal(150), sort_by=SortBy.PRICE_DESC),
        PetFilters(types=("cat", "dog"), min_price=Decimal(999_999), sort_by=SortBy.AGE_ASC),
    ],
    ids=lambda f: str(f.applied()),
)
def test_a_bound_outside_every_pet_of_a_source_reads_next_to_nothing(
    store: DynamoPetStore, table: Any, filters: PetFilters
) -> None:
    # Without the probe, each stream would read every pet of its source to find none.
    page = store.query(filters, sources(filters, {}), limit=20)
    assert page.pets == [] and page.positions is None
    assert page.items_read <= 1, "one probe per stream, none of which finds a pet"


def test_the_table_definition_has_the_indexes_queries_use() -> None:
    names = {index["IndexName"] for index in table_definition("t")["GlobalSecondaryIndexes"]}
    assert names == {
        "type-price",
        "type-age",
        "breed-price",
        "breed-age",
        "catalog-price",
        "catalog-age",
        "name",
    }


def test_the_stock_is_read_once_in_a_while_not_per_question(table: Any) -> None:
    cache = StockCache(ttl=60)
    store = DynamoPetStore(table, cache)
    PetTableUpkeep(table, cache).load(sample_pets())
    calls = []
    real = table.get_item

    def counting(**kwargs: Any) -> Any:
        calls.append(kwargs["Key"])
        return real(**kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(table, "get_item", counting)
        cache.forget()
        for _ in range(5):
            assert store.stock().types["dog"] == 10
    assert calls == [{"id": STOCK_ID}]


def test_the_stock_item_is_no_pet(store: DynamoPetStore) -> None:
    listed: list[str] = []
    start = None
    while True:
        page = store.listing(limit=100, start=start)
        listed += [pet["id"] for pet in page.pets]
        start = page.last_key
        if start is None:
            break
    assert STOCK_ID not in listed and len(listed) == len(sample_pets())
    with pytest.raises(NotFound):
        store.get(STOCK_ID)


def test_reindex_gives_old_pets_the_keys_of_this_version(
    store: DynamoPetStore, upkeep: PetTableUpkeep, table: Any
) -> None:
    table.update_item(
        Key={"id": "1"},
        UpdateExpression="SET #catalog = :old REMOVE breed_key",
        ExpressionAttributeNames={"#catalog": "catalog"},
        ExpressionAttributeValues={":old": "pet"},
    )
    assert upkeep.reindex() == 1
    item = table.get_item(Key={"id": "1"})["Item"]
    assert item["catalog"].startswith("pet#") and item["breed_key"] == item["breed"].casefold()
    assert upkeep.reindex() == 0


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError"]
)
def test_throttling_is_service_unavailable(code: str) -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error("get_item", service_error_code=code, http_status_code=400)
        with pytest.raises(ServiceUnavailable):
            DynamoPetStore(table).get("1")


def test_an_unreachable_table_is_service_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")

    def unreachable(**_: Any) -> None:
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    monkeypatch.setattr(table.meta.client, "transact_write_items", unreachable)
    with pytest.raises(ServiceUnavailable):
        DynamoPetStore(table).add(new_pet())


def test_other_dynamodb_errors_are_not_hidden() -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error("get_item", service_error_code="ValidationException", http_status_code=400)
        with pytest.raises(Exception, match="ValidationException"):
            DynamoPetStore(table).get("1")


def test_a_missing_table_is_a_configuration_error() -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error(
            "get_item", service_error_code="ResourceNotFoundException", http_status_code=400
        )
        with pytest.raises(ConfigurationError, match="missing"):
            DynamoPetStore(table).get("1")


def test_a_server_error_of_any_code_is_service_unavailable() -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error("get_item", service_error_code="500", http_status_code=500)
        with pytest.raises(ServiceUnavailable):
            DynamoPetStore(table).get("1")


class _Answer:
    """A raw HTTP body for botocore's AWSResponse."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def test_an_add_whose_answer_is_lost_after_it_committed_is_stored_once(
    store: DynamoPetStore, table: Any
) -> None:
    """botocore retries an add whose answer never came; DynamoDB takes the retry, with the same
    ClientRequestToken, as the same transaction and answers it as a success. moto ignores the
    token, so this hook plays DynamoDB's part: it commits the first attempt, loses its answer,
    and answers a retry carrying the committed token as DynamoDB would."""
    client = table.meta.client
    committer = boto3.client("dynamodb", region_name="us-east-1")
    tokens: list[str] = []

    def lose_the_first_answer(request: Any, **_: Any) -> AWSResponse | None:
        sent = json.loads(request.body)
        tokens.append(sent["ClientRequestToken"])
        if len(tokens) == 1:
            committer.transact_write_items(**sent)
            raise ConnectionClosedError(endpoint_url=request.url)
        if sent["ClientRequestToken"] == tokens[0]:
            return AWSResponse(request.url, 200, {}, _Answer(b"{}"))
        return None

    client.meta.events.register_first("before-send.dynamodb.TransactWriteItems", lose_the_first_answer)
    try:
        added = store.add(new_pet(name="Once"))
    finally:
        client.meta.events.unregister("before-send.dynamodb.TransactWriteItems", lose_the_first_answer)
    assert len(tokens) == 2 and tokens[0] == tokens[1] == added["id"]
    named = [pet for pet in table.scan()["Items"] if pet.get("name") == "Once"]
    assert [pet["id"] for pet in named] == [added["id"]]
    assert store.stock().types["dog"] == sum(1 for pet in sample_pets() if pet["type"] == "dog") + 1


def test_a_recount_never_loses_an_add_that_lands_between_its_scan_and_its_write(
    store: DynamoPetStore, upkeep: PetTableUpkeep, table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = PetTableUpkeep._scan_pets
    scans = []

    def scan_then_add(self: PetTableUpkeep) -> Iterator[dict[str, Any]]:
        pets = list(scan(self))
        scans.append(len(pets))
        if len(scans) == 1:
            store.add(new_pet(type="axolotl", breed="Leucistic"))
        yield from pets

    monkeypatch.setattr(PetTableUpkeep, "_scan_pets", scan_then_add)
    counted = upkeep.recount()
    assert scans == [len(sample_pets()), len(sample_pets()) + 1], "it counted again"
    assert counted.types["axolotl"] == 1
    kept = stock_from_item(table.get_item(Key={"id": STOCK_ID}, ConsistentRead=True)["Item"])
    assert kept.types == counted.types and kept.breeds == counted.breeds
