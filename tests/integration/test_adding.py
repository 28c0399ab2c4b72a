"""Adds safe to retry: an Idempotency-Key remembered per sender for a day, in the service and the route."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
from chalice.test import Client

from chalicelib.adapters.stage_settings import idempotency_table_name
from chalicelib.adapters.storage import DynamoPetStore
from chalicelib.domain.errors import KeyReused
from chalicelib.domain.pets import NewPet
from chalicelib.service.adding import PetAdder
from tests.support.routes import body

PET = {"name": "Biscuit", "type": "puppy", "breed": "Boxer", "age": 2, "price": 300}


def new_pet(**fields: Any) -> NewPet:
    return NewPet.model_validate({**PET, **fields})


class LambdaContext:
    """What the adder asks of Lambda's context: the time left, which bounds a key held in progress."""

    def get_remaining_time_in_millis(self) -> int:
        return 20_000


@pytest.fixture
def adder(store: DynamoPetStore, table: Any) -> PetAdder:
    client = boto3.client("dynamodb", region_name="us-east-1")
    records = DynamoDBPersistenceLayer(table_name=idempotency_table_name(table.name), boto3_client=client)
    return PetAdder(store, records, LambdaContext())


def named(table: Any, name: str) -> list[dict[str, Any]]:
    return [item for item in table.scan()["Items"] if item.get("name") == name]


def test_an_add_retried_with_its_key_stores_nothing_new_and_answers_the_first_pet(
    adder: PetAdder, table: Any
) -> None:
    first = adder.add(new_pet(), "staff", "add-biscuit-1")
    again = adder.add(new_pet(), "staff", "add-biscuit-1")
    assert (first.status, again.status) == (201, 201)
    assert again.pet == first.pet and again.replayed and not first.replayed
    assert [item["id"] for item in named(table, "Biscuit")] == [first.pet["id"]]
    assert first.pet["type"] == "dog", "stored in the store's word for the kind"


def test_the_same_key_with_another_pet_is_refused_and_stores_nothing(adder: PetAdder, table: Any) -> None:
    adder.add(new_pet(), "staff", "add-biscuit-2")
    with pytest.raises(KeyReused, match="another pet"):
        adder.add(new_pet(price=Decimal(301)), "staff", "add-biscuit-2")
    assert len(named(table, "Biscuit")) == 1


def test_a_key_belongs_to_its_sender(adder: PetAdder, table: Any) -> None:
    mine, theirs = adder.add(new_pet(), "staff", "same-key"), adder.add(new_pet(), "other-staff", "same-key")
    assert mine.pet["id"] != theirs.pet["id"] and len(named(table, "Biscuit")) == 2


def test_adds_without_a_key_each_store_a_pet(adder: PetAdder, table: Any) -> None:
    adder.add(new_pet(), "staff")
    adder.add(new_pet(), "staff")
    assert len(named(table, "Biscuit")) == 2


def test_a_failed_add_leaves_its_key_free_for_the_retry(
    adder: PetAdder, store: DynamoPetStore, table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store.add
    calls: list[int] = []

    def fails_once(pet: NewPet) -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the store fell over")
        return real(pet)

    monkeypatch.setattr(store, "add", fails_once)
    with pytest.raises(RuntimeError):
        adder.add(new_pet(), "staff", "retry-me")
    assert adder.add(new_pet(), "staff", "retry-me").status == 201
    assert len(named(table, "Biscuit")) == 1


# --- through the route ---------------------------------------------------------------------------


def add(client: Client, staff: dict[str, str], key: str | None, pet: dict[str, Any] = PET) -> Any:
    headers = {**staff, **({"idempotency-key": key} if key is not None else {})}
    return client.http.post("/pets", headers=headers, body=json.dumps(pet))


def test_the_route_answers_a_retried_add_with_the_first_pet(
    client: Client, staff: dict[str, str], table: Any
) -> None:
    first, again = add(client, staff, "route-key"), add(client, staff, "route-key")
    assert first.status_code == again.status_code == 201
    assert body(again) == body(first) and again.headers["Location"] == first.headers["Location"]
    assert again.headers.get("Idempotent-Replayed") == "true" and "Idempotent-Replayed" not in first.headers
    assert len(named(table, "Biscuit")) == 1


def test_the_route_refuses_a_key_sent_with_another_pet(
    client: Client, staff: dict[str, str], table: Any
) -> None:
    add(client, staff, "route-key-2")
    response = add(client, staff, "route-key-2", {**PET, "name": "Pretzel"})
    assert response.status_code == 422 and body(response)["error"] == "idempotency_key_reused"
    assert named(table, "Pretzel") == []


@pytest.mark.parametrize("key", ["", "x" * 129, "with space", "caf\u00e9", "tab\there"])
def test_a_key_that_is_not_one_is_400_and_stores_nothing(
    client: Client, staff: dict[str, str], table: Any, key: str
) -> None:
    response = add(client, staff, key)
    assert response.status_code == 400 and "Idempotency-Key" in body(response)["message"]
    assert named(table, "Biscuit") == []
