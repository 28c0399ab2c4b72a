from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.filters import PetFilters, asked_key


@pytest.mark.parametrize(
    ("raw", "applied"),
    [
        ({"type_filter": "Dog", "max_price": "500"}, {"type_filter": "dog", "max_price": 500}),
        ({"min_price": 900, "max_price": 100}, {"min_price": 100, "max_price": 900}),
        ({"min_age": -3, "max_age": 10**9}, {"min_age": 0, "max_age": 200}),
        ({"max_price": "cheap", "sort_by": "by vibes", "colour": "red"}, {}),
        ({"max_price": float("nan"), "breed": "", "name": None}, {}),
        ({"name": "Bu\x00ddy", "breed": "  Golden   Retriever "}, {"breed": "Golden Retriever"}),
        ({"max_price": True}, {}),
    ],
)
def test_untrusted_input_keeps_only_what_is_valid(raw: dict[str, Any], applied: dict[str, Any]) -> None:
    assert PetFilters.from_untrusted(raw).applied() == applied


@pytest.mark.parametrize("written", ["500", "500.00", "5E+2", "500.001"])
def test_numbers_have_one_form(written: str) -> None:
    filters = PetFilters(max_price=Decimal(written))
    assert filters == PetFilters(max_price=Decimal(500)) and filters.applied() == {"max_price": 500}


def test_numbers_keep_at_most_two_decimals() -> None:
    many_digits = "123.1234567890123456789012345678901234567891"
    assert PetFilters.from_untrusted({"max_price": many_digits}).applied() == {"max_price": 123.12}
    assert PetFilters(max_age=Decimal("0.50")).applied() == {"max_age": 0.5}


def test_a_question_s_key_sets_case_and_spacing_aside_but_not_its_context() -> None:
    dogs = PetFilters(type_filter="dog")
    assert asked_key("  Cheap\n\tDOGS ") == asked_key("cheap dogs") == "cheap dogs\n"
    assert asked_key("cheaper", dogs) == 'cheaper\n{"type_filter":"dog"}'
    assert asked_key("cheaper", dogs) != asked_key("cheaper", PetFilters(type_filter="cat"))
    # one text for one meaning: the same filters written differently are the same context
    assert (
        PetFilters(types=("dog",), max_price=Decimal("500.00")).compact()
        == PetFilters(type_filter="dog", max_price=Decimal(500)).compact()
    )
