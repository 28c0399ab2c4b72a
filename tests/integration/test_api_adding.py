"""Adds safe to retry, end to end: the local stack over HTTP, its idempotency table in the emulator."""

from __future__ import annotations

import uuid

import pytest
import requests

from localdev.stack import LocalStack
from tests.support.http import all_pets, call, preflight

PET = {"name": "Marmalade", "type": "cat", "breed": "Persian", "age": 3, "price": 420}


@pytest.fixture(scope="module")
def staff(local_stack: LocalStack) -> str:
    return local_stack.id_token("staff")


def add(stack: LocalStack, token: str, key: str, pet: dict[str, object] = PET) -> requests.Response:
    return call(stack, "POST", "/pets", token, json=pet, headers={"Idempotency-Key": key})


def test_an_add_sent_twice_with_its_key_is_stored_once(local_stack: LocalStack, staff: str) -> None:
    key = str(uuid.uuid4())
    first, again = add(local_stack, staff, key), add(local_stack, staff, key)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    stored = [pet for pet in all_pets(local_stack, staff) if pet["name"] == PET["name"]]
    assert [pet["id"] for pet in stored] == [first.json()["id"]]


def test_the_same_key_with_another_pet_is_422_and_stores_nothing(local_stack: LocalStack, staff: str) -> None:
    key = str(uuid.uuid4())
    assert add(local_stack, staff, key, {**PET, "name": "Tangerine"}).status_code == 201
    response = add(local_stack, staff, key, {**PET, "name": "Clementine"})
    assert response.status_code == 422 and response.json()["error"] == "idempotency_key_reused"
    assert not [pet for pet in all_pets(local_stack, staff) if pet["name"] == "Clementine"]


def test_a_browser_may_send_the_key(local_stack: LocalStack) -> None:
    response = preflight(local_stack, "/pets", "authorization,content-type,idempotency-key")
    assert response.status_code == 200
    assert "idempotency-key" in response.headers["Access-Control-Allow-Headers"].lower()
