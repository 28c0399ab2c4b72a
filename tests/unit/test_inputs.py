from decimal import Decimal

import pytest

from chalicelib.domain.errors import InvalidInput, PayloadTooLarge
from chalicelib.web import inputs


def test_json_body_reads_floats_as_decimal() -> None:
    assert inputs.json_body(b'{"price": 9.99}') == {"price": Decimal("9.99")}


@pytest.mark.parametrize(
    "raw", [b"", None, b"not json", b"[1, 2]", b'"text"', b'{"a": NaN}', b'{"a": Infinity}']
)
def test_json_body_refuses_what_is_not_a_json_object(raw: bytes | None) -> None:
    with pytest.raises(InvalidInput):
        inputs.json_body(raw)


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
