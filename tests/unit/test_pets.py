from decimal import Decimal

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.pets import NewPet, public_pet
from chalicelib.web.inputs import validated

GOOD = {"name": " Rex ", "type": "Dog", "breed": "Boxer", "age": Decimal("2.5"), "price": 300}


def test_a_valid_pet_is_normalised() -> None:
    pet = validated(NewPet, dict(GOOD))
    assert (pet.name, pet.type, pet.age, pet.price) == ("Rex", "dog", Decimal("2.5"), Decimal(300))


def test_with_id_makes_a_fresh_uuid_each_time() -> None:
    pet = validated(NewPet, dict(GOOD))
    first, second = pet.with_id(), pet.with_id()
    assert first["id"] != second["id"] and len(first["id"]) == 36


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Rex\x00"}, "name"),
        ({"type": "d0g"}, "type"),
        ({"breed": 7}, "breed"),
        ({"age": -1}, "age"),
        ({"age": "two"}, "age"),
        ({"age": True}, "age"),
        ({"price": "cheap"}, "price"),
        ({"price": Decimal("-0.01")}, "price"),
        ({"price": Decimal("1.001")}, "price"),
        ({"price": 10**9}, "price"),
        ({"price": None}, "price"),
        ({"owner": "me"}, "owner"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validated(NewPet, {**GOOD, **change})
    assert raised.value.message.startswith(named)


def test_missing_fields_are_all_listed() -> None:
    with pytest.raises(InvalidInput) as raised:
        validated(NewPet, {"name": "Rex"})
    for field in ("type", "breed", "age", "price"):
        assert f"{field} is required" in raised.value.message


def test_public_pet_turns_decimals_into_numbers_and_hides_internals() -> None:
    item = {"id": "1", "name": "Rex", "type": "dog", "breed": "Boxer", "age": Decimal("2.5"),
            "price": Decimal(300), "catalog": "pet", "name_key": "rex"}  # fmt: skip
    pet = public_pet(item)
    assert pet == {"id": "1", "name": "Rex", "type": "dog", "breed": "Boxer", "age": 2.5, "price": 300}
    assert isinstance(pet["price"], int)
