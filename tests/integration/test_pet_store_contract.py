"""One contract, two stores: DynamoDB (moto in process) and the in-memory twin answer alike."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.adapters.storage import DynamoPetStore, MemoryPetStore, PetStore, PetTableUpkeep, ReadBudget
from chalicelib.domain.errors import NotFound
from chalicelib.domain.filters import PetFilters, SortBy
from chalicelib.domain.pets import NewPet
from chalicelib.domain.selection import order_of, sources, takes_in
from chalicelib.language.store_words import StoreWords
from infra.seed import sample_pets

TWINS = [
    {"id": f"zed-{n:02d}", "name": "Zed", "type": "dog", "breed": "Boxer", "age": Decimal(n % 7), "price": p}
    for n, p in enumerate([870, 58, 218, 754, 37, 856, 412, 99, 640, 301, 77, 505])
]


@pytest.fixture(params=["dynamodb", "memory"])
def any_store(request: pytest.FixtureRequest) -> Iterator[PetStore]:
    """The sample pets and a dozen dogs named Zed, in each store."""
    pets = [*sample_pets(), *TWINS]
    if request.param == "memory":
        yield MemoryPetStore(pets)
        return
    table = request.getfixturevalue("table")
    PetTableUpkeep(table).load(pets)
    yield DynamoPetStore(table)


def new_pet(**fields: Any) -> NewPet:
    return NewPet(
        **{"name": "Rex", "type": "dog", "breed": "Boxer", "age": Decimal(2), "price": Decimal(300), **fields}
    )


def everything(store: PetStore) -> list[dict[str, Any]]:
    pets, start = [], None
    while True:
        page = store.listing(limit=7, start=start)
        assert len(page.pets) <= 7
        pets += page.pets
        start = page.last_key
        if start is None:
            return pets


def collect(store: PetStore, filters: PetFilters, limit: int) -> list[dict[str, Any]]:
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
    PetFilters(name="zed", sort_by=SortBy.PRICE_ASC),
    PetFilters(name="Zed", sort_by=SortBy.AGE_DESC, max_price=Decimal(800)),
    PetFilters(name="ZED"),
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
    PetFilters(type_filter="cat", min_age=Decimal(150), sort_by=SortBy.PRICE_ASC),
]


@pytest.mark.parametrize("filters", QUESTIONS, ids=lambda f: str(f.applied()))
@pytest.mark.parametrize("limit", [1, 5, 100])
def test_every_page_together_is_what_a_full_scan_finds_in_order(
    any_store: PetStore, filters: PetFilters, limit: int
) -> None:
    got = collect(any_store, filters, limit)
    streams = sources(filters, StoreWords.of(any_store.stock()).breed_types)
    want = [pet for pet in [*sample_pets(), *TWINS] if takes_in(pet, filters, streams)]
    assert sorted(pet["id"] for pet in got) == sorted(pet["id"] for pet in want)
    order = order_of(filters)
    values = [Decimal(str(pet[order.field])) for pet in got]
    assert values == sorted(values, reverse=order.descending), "the order holds across pages"


def test_added_pets_get_fresh_ids_and_read_back(any_store: PetStore) -> None:
    first, second = any_store.add(new_pet()), any_store.add(new_pet())
    assert first["id"] != second["id"]
    assert any_store.get(first["id"]) == first == {**first, "name": "Rex", "age": 2, "price": 300}


def test_an_absent_pet_is_not_found(any_store: PetStore) -> None:
    with pytest.raises(NotFound):
        any_store.get("no-such-pet")


def test_the_listing_pages_through_every_pet_once(any_store: PetStore) -> None:
    listed = [pet["id"] for pet in everything(any_store)]
    assert sorted(listed) == sorted(pet["id"] for pet in [*sample_pets(), *TWINS])


def test_every_pet_is_counted_in_the_stock_as_it_is_added(any_store: PetStore) -> None:
    before = any_store.stock()
    any_store.add(new_pet(type="alpaca", breed="Huacaya"))
    any_store.add(new_pet(type="alpaca", breed="Huacaya"))
    after = any_store.stock()
    assert after.types["alpaca"] == 2 and after.breeds[("alpaca", "Huacaya")] == 2
    assert after.types["dog"] == before.types["dog"] and "alpaca" in after.type_names()


def test_existing_names_come_back_as_the_store_spells_them(any_store: PetStore) -> None:
    budget = ReadBudget()
    assert any_store.existing_names(["luna", "nobody", "BUDDY"], budget) == ["Luna", "Buddy"]
    assert budget.spent <= 3


def test_no_name_is_looked_up_once_the_budget_is_spent(any_store: PetStore) -> None:
    assert any_store.existing_names(["luna"], ReadBudget(items=0)) == []


def test_no_sources_read_nothing(any_store: PetStore) -> None:
    page = any_store.query(PetFilters(breed="Beagle", exclude_breeds=("Beagle",)), (), limit=5)
    assert page.pets == [] and page.positions is None and page.items_read == 0


def test_a_read_is_charged_to_the_request_and_to_its_part(any_store: PetStore) -> None:
    request = ReadBudget(items=1000)
    part = request.part(100)
    filters = PetFilters(type_filter="dog", sort_by=SortBy.PRICE_ASC)
    page = any_store.query(filters, sources(filters, {}), 3, budget=part)
    assert len(page.pets) == 3 and 0 < part.spent == request.spent == page.items_read
