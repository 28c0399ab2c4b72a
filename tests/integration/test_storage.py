from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from chalicelib.adapters.storage import PetStore, table_definition
from chalicelib.domain.errors import ConfigurationError, Conflict, NotFound, ServiceUnavailable
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.pets import NewPet
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
    pets: list[dict[str, Any]] = []
    start = None
    while True:
        page = store.query(filters, limit=limit, start=start)
        pets += page.pets
        start = page.last_key
        if start is None:
            return pets


def expected(filters: PetFilters) -> list[dict[str, Any]]:
    """The same question answered the slow, obvious way."""
    pets = [pet for pet in sample_pets() if _matches(pet, filters)]
    if filters.sort_by:
        pets.sort(key=lambda pet: pet[filters.sort_by.field], reverse=filters.sort_by.descending)  # type: ignore[union-attr]
    return pets


def _matches(pet: dict[str, Any], f: PetFilters) -> bool:
    return (
        (f.type_filter is None or pet["type"] == f.type_filter)
        and (f.breed is None or f.breed.casefold() in pet["breed"].casefold())
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
    PetFilters(breed="retriever"),
    PetFilters(name="buddy"),
    PetFilters(name="Luna", type_filter="dog"),
    PetFilters(type_filter="unicorn"),
]


@pytest.mark.parametrize("filters", QUESTIONS, ids=lambda f: str(f.applied()))
def test_queries_answer_what_a_full_scan_would(store: PetStore, filters: PetFilters) -> None:
    got = collect(store, filters)
    want = expected(filters)
    assert sorted(pet["id"] for pet in got) == sorted(pet["id"] for pet in want)
    if filters.sort_by:
        field = filters.sort_by.field
        assert [pet[field] for pet in got] == [pet[field] for pet in want]


def test_a_typed_sorted_query_reads_about_what_it_returns(store: PetStore) -> None:
    page = store.query(PetFilters(type_filter="dog", sort_by=SortBy.PRICE_ASC), limit=3)
    assert len(page.pets) == 3 and page.items_read <= 4
    assert page.last_key == {"id": page.pets[-1]["id"], "type": "dog", "price": page.pets[-1]["price"]}


def test_the_table_definition_has_the_indexes_queries_use() -> None:
    names = {index["IndexName"] for index in table_definition("t")["GlobalSecondaryIndexes"]}
    assert names == {"type-price", "type-age", "catalog-price", "catalog-age", "name"}


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

    monkeypatch.setattr(table.meta.client, "put_item", unreachable)
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
    page = store.query(PetFilters(name="max", sort_by=SortBy.PRICE_DESC), limit=10)
    assert [pet["price"] for pet in page.pets] == [900, 450, 300, 100]


def test_existing_names_come_back_as_the_store_spells_them(store: PetStore) -> None:
    assert store.existing_names(["luna", "nobody", "BUDDY"]) == ["Luna", "Buddy"]
