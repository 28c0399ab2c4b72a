from __future__ import annotations

from decimal import Context, Decimal, InvalidOperation

import pytest
from pydantic import BaseModel, model_validator

from chalicelib.domain.errors import InvalidInput, PayloadTooLarge
from chalicelib.web import inputs
from chalicelib.web.query_route import QueryRequest


def test_json_body_reads_floats_as_decimal() -> None:
    assert inputs.json_body(b'{"price": 9.99}') == {"price": Decimal("9.99")}


@pytest.mark.parametrize("raw", [b"", None, b"not json", b"[1, 2]", b'"text"', b"NaN", b"1" * 5000])
def test_json_body_refuses_what_is_not_a_json_object(raw: bytes | None) -> None:
    with pytest.raises(InvalidInput):
        inputs.json_body(raw, max_bytes=10_000)


@pytest.mark.parametrize(
    "constant", ["NaN", "Infinity", "-Infinity", "1e1000000000000000000", "-0e-99999999999999999999999999"]
)
def test_not_a_number_is_refused_by_the_model_naming_its_field(constant: str) -> None:
    body = inputs.json_body(f'{{"query": "dogs", "limit": {constant}}}'.encode())
    with pytest.raises(InvalidInput, match=r"^limit: "):
        inputs.validated(QueryRequest, body)


class Sums(BaseModel):
    total: Decimal

    @model_validator(mode="after")
    def _adds_up(self) -> Sums:
        self.total.quantize(Decimal("0.01"), context=Context(traps=[InvalidOperation]))
        return self


def test_a_decimal_error_inside_a_model_check_is_bad_input_not_a_crash() -> None:
    with pytest.raises(InvalidInput, match="number"):
        inputs.validated(Sums, {"total": Decimal("1e999999")})


def test_json_body_refuses_deep_nesting_cleanly() -> None:
    with pytest.raises(InvalidInput):
        inputs.json_body(b"[" * 3000 + b"]" * 3000, max_bytes=10_000)


def test_json_body_has_a_size_limit() -> None:
    with pytest.raises(PayloadTooLarge):
        inputs.json_body(b'{"a": "' + b"x" * inputs.MAX_BODY_BYTES + b'"}')


@pytest.mark.parametrize(
    ("given", "expected"), [(None, inputs.DEFAULT_LIMIT), ("1", 1), ("100", 100), (" 7 ", 7), (5, 5)]
)
def test_page_limit(given: str | int | None, expected: int) -> None:
    assert inputs.page_limit(given) == expected


@pytest.mark.parametrize(
    "given", ["0", "101", "-1", "ten", "", "1.5", True, "9" * 50, "²", "\u0661\u0660", "1e1"]
)
def test_page_limit_refuses_out_of_range(given: str | bool) -> None:
    with pytest.raises(InvalidInput, match="limit"):
        inputs.page_limit(given)


@pytest.mark.parametrize("given", ["", "a" * 65, "../etc", "id with space", "<script>"])
def test_pet_id_refuses_what_no_id_looks_like(given: str) -> None:
    with pytest.raises(InvalidInput, match="petId"):
        inputs.pet_id(given)
