from decimal import Decimal

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.pets import NewPet, in_hundredths, public_pet
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
        # lengths count the text as sent, before it is trimmed
        ({"name": " " + "x" * 100}, "name"),
        ({"breed": "x" * 100 + "\n"}, "breed"),
        ({"name": " \t "}, "name"),
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
        ({"age": Decimal("NaN")}, "age"),
        ({"price": Decimal("-Infinity")}, "price"),
        ({"age": Decimal("1e999999")}, "age"),
        ({"price": Decimal("1e-999999999")}, "price"),
        ({"age": Decimal("-1e999999")}, "age"),
        ({"price": 10**40}, "price"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validated(NewPet, {**GOOD, **change})
    assert raised.value.message.startswith(named)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (Decimal("0e-999999999"), "0.00"),
        (Decimal("0e999999"), "0.00"),
        (Decimal("-0"), "0.00"),
        (Decimal("-0.000"), "0.00"),
        (Decimal("2.50000"), "2.50"),
        (Decimal("1E+2"), "100.00"),
        (Decimal("1e-2"), "0.01"),
        (Decimal("199.99"), "199.99"),
        (Decimal("2" + "0" * 30 + "e-30"), "2.00"),
        (7, "7.00"),
    ],
)
def test_numbers_are_quantised_to_the_hundredth(given: Decimal | int, stored: str) -> None:
    quantised = in_hundredths(Decimal(given), Decimal(200))
    assert str(quantised) == stored and not quantised.is_signed()
    pet = validated(NewPet, {**GOOD, "age": given, "price": given})
    assert (str(pet.age), str(pet.price)) == (stored, stored)


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("NaN", "from 0 to 200"),
        ("sNaN", "from 0 to 200"),
        ("Infinity", "from 0 to 200"),
        ("-0.01", "0 or more"),
        ("-1e999999", "0 or more"),
        ("200.01", "at most 200"),
        ("1e999999", "at most 200"),
        ("9e999999999999999999", "at most 200"),
        ("0.001", "two decimals"),
        ("1e-999999999", "two decimals"),
        ("1.000000000000000000000000000000000000000001", "two decimals"),
        ("123e-999999999", "two decimals"),
    ],
)
def test_numbers_that_cannot_be_stored_exactly_are_refused(given: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        in_hundredths(Decimal(given), Decimal(200))


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
