from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from chalicelib.adapters.storage import STOCK_ID, PetStore, ReadBudget, StockCache, table_definition
from chalicelib.domain.errors import ConfigurationError, Conflict, NotFound, ServiceUnavailable
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.pets import NewPet
from chalicelib.domain.selection import sources
from chalicelib.language.store_words import StoreWords
from infra.seed import sample_pets


def new_pet(**fields: Any) -> NewPet:
    return NewPet(
        **{"name": "Rex", "type": "dog", "breed": "Boxer", "age": Decimal(2), "price": Decimal(300), **fields}
    )


def test_added_pets_get_fresh_ids_and_read_back(store: PetStore) -> None:
    first, second = store.add(new_pet()), store.add(new_pet())
    assert first["id"] != second["id"]
    assert store.get(first["id"]) == first == {**first, "name": "Rex", "age": 2, "price": 300}


def test_a_put_never_overwrites(store: PetStore, table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NewPet, "with_id", lambda self: {"id": "1", **self.model_dump()})
    with pytest.raises(Conflict):
        store.add(new_pet(name="Impostor"))
    assert store.get("1")["name"] == "Buddy"


def test_an_absent_pet_is_not_found(store: PetStore) -> None:
    with pytest.raises(NotFound):
        store.get("no-such-pet")


def test_listing_pages_through_every_pet_once(store: PetStore) -> None:
    seen: list[str] = []
    start = None
    while True:
        page = store.listing(limit=7, start=start)
        assert len(page.pets) <= 7
        seen += [pet["id"] for pet in page.pets]
        start = page.last_key
        if start is None:
            break
    assert sorted(seen) == sorted(pet["id"] for pet in sample_pets())


def collect(store: PetStore, filters: PetFilters, limit: int = 4) -> list[dict[str, Any]]:
    """Every page of ``filters``' answer, each resumed from the last page's positions."""
    streams = sources(filters, StoreWords.of(store.stock()).breed_types)
    pets: list[dict[str, Any]] = []
    positions = None
    while True:
        page = store.query(filters, streams, limit=limit, positions=positions)
        assert len(page.pets) <= limit and not page.cut_short
        pets += page.pets
        positions = page.positions
        if positions is None:
            return pets


def expected(filters: PetFilters) -> list[dict[str, Any]]:
    """The same question answered the slow, obvious way."""
    pets = [pet for pet in sample_pets() if _matches(pet, filters)]
    if filters.sort_by:
        pets.sort(key=lambda pet: pet[filters.sort_by.field], reverse=filters.sort_by.descending)  # type: ignore[union-attr]
    return pets


def _matches(pet: dict[str, Any], f: PetFilters) -> bool:
    breed = pet["breed"].casefold()
    breeds = {b.casefold() for b in f.any_breeds}
    types = set(f.any_types)
    # a listed breed narrows its own type; a type none of whose breeds is listed is taken whole
    kinds_of_listed = {p["type"] for p in sample_pets() if p["breed"].casefold() in breeds}
    if len(types) == 1 and breeds and not kinds_of_listed:
        kinds_of_listed = set(types)
    wanted_kind = (not types and not breeds) or (
        (pet["type"] in types | kinds_of_listed) and (pet["type"] not in kinds_of_listed or breed in breeds)
    )
    return (
        wanted_kind
        and pet["type"] not in (f.exclude_types or ())
        and breed not in {b.casefold() for b in f.exclude_breeds or ()}
        and (f.name is None or f.name.casefold() == pet["name"].casefold())
        and (f.min_price is None or pet["price"] >= f.min_price)
        and (f.max_price is None or pet["price"] <= f.max_price)
        and (f.min_age is None or pet["age"] >= f.min_age)
        and (f.max_age is None or pet["age"] <= f.max_age)
    )


QUESTIONS = [
    PetFilters(type_filter="dog", max_price=Decimal(500), sort_by=SortBy.AGE_ASC),
    PetFilters(type_filter="dog", sort_by=SortBy.PRICE_DESC),
    PetFilters(type_filter="cat", min_age=Decimal(1), max_age=Decimal(4), sort_by=SortBy.PRICE_ASC),
    PetFilters(sort_by=SortBy.PRICE_ASC, max_price=Decimal(100)),
    PetFilters(sort_by=SortBy.AGE_DESC),
    PetFilters(min_price=Decimal(300), max_price=Decimal(900), sort_by=SortBy.AGE_ASC),
    PetFilters(breed="Golden Retriever"),
    PetFilters(name="buddy"),
    PetFilters(name="Luna", type_filter="dog"),
    PetFilters(type_filter="unicorn"),
    PetFilters(types=("rabbit", "fish"), sort_by=SortBy.PRICE_ASC),
    PetFilters(types=("cat", "dog", "bird"), max_price=Decimal(900), sort_by=SortBy.AGE_DESC),
    PetFilters(type_filter="cat", exclude_breeds=("Siamese", "Persian"), sort_by=SortBy.PRICE_DESC),
    PetFilters(exclude_types=("dog", "cat"), sort_by=SortBy.PRICE_ASC),
    PetFilters(breeds=("Beagle", "Poodle", "Siamese"), sort_by=SortBy.AGE_ASC),
    PetFilters(types=("cat", "dog"), breed="Beagle", sort_by=SortBy.PRICE_ASC),
    PetFilters(type_filter="dog", breed="Labradoodle"),
    PetFilters(breed="Beagle", exclude_breeds=("beagle",)),
    PetFilters(types=("cat", "dog"), exclude_types=("dog",), min_age=Decimal(2)),
    PetFilters(name="Buddy", types=("cat", "dog"), exclude_breeds=("Poodle",)),
]


@pytest.mark.parametrize("filters", QUESTIONS, ids=lambda f: str(f.applied()))
@pytest.mark.parametrize("limit", [1, 4, 100])
def test_queries_answer_what_a_full_scan_would(store: PetStore, filters: PetFilters, limit: int) -> None:
    got = collect(store, filters, limit)
    want = expected(filters)
    assert sorted(pet["id"] for pet in got) == sorted(pet["id"] for pet in want)
    if filters.sort_by:
        field = filters.sort_by.field
        assert [pet[field] for pet in got] == [pet[field] for pet in want]


def test_a_typed_sorted_query_reads_about_what_it_returns(store: PetStore) -> None:
    filters = PetFilters(type_filter="dog", sort_by=SortBy.PRICE_ASC)
    page = store.query(filters, sources(filters, {}), limit=3)
    assert len(page.pets) == 3 and page.items_read <= 4
    last = page.pets[-1]
    assert page.positions == {
        "type:dog": {"id": last["id"], "type": "dog", "price": Decimal(str(last["price"]))}
    }


def test_several_types_read_about_what_they_return(store: PetStore) -> None:
    filters = PetFilters(types=("cat", "dog", "bird"), sort_by=SortBy.PRICE_ASC)
    page = store.query(filters, sources(filters, {}), limit=5)
    assert len(page.pets) == 5 and page.items_read <= 5 + 3 + 3
    assert set(page.positions or {}) == {"type:bird", "type:cat", "type:dog"}


def test_a_page_stops_at_its_read_budget_and_goes_on_from_there(store: PetStore) -> None:
    filters = PetFilters(max_age=Decimal("0.01"), sort_by=SortBy.PRICE_ASC)  # no pet is that young
    page = store.query(filters, sources(filters, {}), limit=5, budget=ReadBudget(items=3))
    assert page.pets == [] and page.cut_short and page.positions and page.items_read <= 3 + 4
    rest = collect(store, filters)
    assert rest == []


def test_no_sources_read_nothing(store: PetStore) -> None:
    page = store.query(PetFilters(breed="Beagle", exclude_breeds=("Beagle",)), (), limit=5)
    assert page.pets == [] and page.positions is None and page.items_read == 0


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


def test_every_pet_is_counted_in_the_stock_as_it_is_added(store: PetStore) -> None:
    before = store.stock()
    store.add(new_pet(type="alpaca", breed="Huacaya"))
    store.add(new_pet(type="alpaca", breed="Huacaya"))
    after = store.stock()
    assert after.types["alpaca"] == 2 and after.breeds[("alpaca", "Huacaya")] == 2
    assert after.types["dog"] == before.types["dog"] and "alpaca" in after.type_names()


def test_the_stock_is_read_once_in_a_while_not_per_question(table: Any) -> None:
    cache = StockCache(ttl=60)
    store = PetStore(table, cache)
    store.load(sample_pets())
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


def test_the_stock_item_is_no_pet(store: PetStore) -> None:
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


def test_reindex_gives_old_pets_the_keys_of_this_version(store: PetStore, table: Any) -> None:
    table.update_item(
        Key={"id": "1"},
        UpdateExpression="SET #catalog = :old REMOVE breed_key",
        ExpressionAttributeNames={"#catalog": "catalog"},
        ExpressionAttributeValues={":old": "pet"},
    )
    assert store.reindex() == 1
    item = table.get_item(Key={"id": "1"})["Item"]
    assert item["catalog"].startswith("pet#") and item["breed_key"] == item["breed"].casefold()
    assert store.reindex() == 0


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError"]
)
def test_throttling_is_service_unavailable(code: str) -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error("get_item", service_error_code=code, http_status_code=400)
        with pytest.raises(ServiceUnavailable):
            PetStore(table).get("1")


def test_an_unreachable_table_is_service_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")

    def unreachable(**_: Any) -> None:
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    monkeypatch.setattr(table.meta.client, "transact_write_items", unreachable)
    with pytest.raises(ServiceUnavailable):
        PetStore(table).add(new_pet())


def test_other_dynamodb_errors_are_not_hidden() -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error("get_item", service_error_code="ValidationException", http_status_code=400)
        with pytest.raises(Exception, match="ValidationException"):
            PetStore(table).get("1")


def test_a_missing_table_is_a_configuration_error() -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error(
            "get_item", service_error_code="ResourceNotFoundException", http_status_code=400
        )
        with pytest.raises(ConfigurationError, match="missing"):
            PetStore(table).get("1")


def test_a_name_search_is_sorted_as_asked(store: PetStore) -> None:
    twins = [{"id": f"max-{n}", "name": "Max", "type": "dog", "breed": "Boxer", "age": 1, "price": Decimal(p)}
             for n, p in enumerate([300, 900, 100])]  # fmt: skip
    store.load(twins)
    filters = PetFilters(name="max", sort_by=SortBy.PRICE_DESC)
    page = store.query(filters, sources(filters, {}), limit=10)
    assert [pet["price"] for pet in page.pets] == [900, 450, 300, 100]


def test_existing_names_come_back_as_the_store_spells_them(store: PetStore) -> None:
    assert store.existing_names(["luna", "nobody", "BUDDY"]) == ["Luna", "Buddy"]


def test_a_server_error_of_any_code_is_service_unavailable() -> None:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table("PetStore")
    with Stubber(table.meta.client) as stub:
        stub.add_client_error("get_item", service_error_code="500", http_status_code=500)
        with pytest.raises(ServiceUnavailable):
            PetStore(table).get("1")
