"""No number is a server error, in a body or a follow-up's context: any size, any exponent, any digits
Unicode calls digits. Every such request is a clear 400 naming its field, or read exactly."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.pets import NewPet
from chalicelib.web import inputs
from chalicelib.web.query_route import QueryRequest

NUMBER_FIELDS = ("min_price", "max_price", "min_age", "max_age")
# Digits of other scripts: Arabic-Indic, Devanagari, fullwidth, Bengali, Thai.
FOREIGN_DIGITS = st.sampled_from(["\u0660", "\u0966", "\uff10", "\u09e6", "\u0e50"]).map(
    lambda zero: "".join(chr(ord(zero) + n) for n in range(10))
)


@st.composite
def number_texts(draw: st.DrawFn) -> str:
    """A JSON number as a client might write it: long digit runs, any exponent, a sign, decimals."""
    sign = draw(st.sampled_from(["", "-"]))
    whole = draw(st.from_regex(r"0|[1-9][0-9]{0,59}", fullmatch=True))
    decimals = draw(st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,60}", fullmatch=True)))
    exponent = draw(st.one_of(st.just(""), st.integers(-(10**25), 10**25).map(lambda e: f"e{e}")))
    return f"{sign}{whole}{decimals}{exponent}"


def refused_or_read(model: type[Any], raw: str) -> Any:
    try:
        return inputs.validated(model, inputs.json_body(raw.encode(), max_bytes=1 << 20))
    except InvalidInput as error:
        assert error.status == 400 and error.message
        return None


@settings(max_examples=300, deadline=None)
@given(number=number_texts(), field=st.sampled_from(NUMBER_FIELDS))
def test_a_contexts_number_of_any_size_is_read_to_the_hundredth_or_refused_naming_it(
    number: str, field: str
) -> None:
    raw = f'{{"query": "dogs", "context": {{"{field}": {number}}}}}'
    try:
        request = inputs.validated(QueryRequest, inputs.json_body(raw.encode(), max_bytes=1 << 20))
    except InvalidInput as error:
        assert error.message.startswith((f"context.{field}: ", "context: ")), error.message
        return
    assert request.context is not None
    value = getattr(request.context, field)
    assert value == Decimal(number) and value == value.quantize(Decimal("0.01"))
    assert not value.is_signed()


@settings(max_examples=200, deadline=None)
@given(number=number_texts(), field=st.sampled_from(["age", "price"]))
def test_a_new_pets_number_of_any_size_is_stored_to_the_hundredth_or_refused(number: str, field: str) -> None:
    pet = {"name": "Rex", "type": "dog", "breed": "Boxer", "age": 1, "price": 1}
    raw = json.dumps(pet).replace(f'"{field}": 1', f'"{field}": {number}')
    read = refused_or_read(NewPet, raw)
    if read is not None:
        assert getattr(read, field) == Decimal(number)


@settings(max_examples=100, deadline=None)
@given(digits=FOREIGN_DIGITS, length=st.integers(1, 40), field=st.sampled_from(NUMBER_FIELDS))
def test_digits_of_any_script_are_refused_as_text_in_a_context(digits: str, length: int, field: str) -> None:
    text = "".join(digits[n % 10] for n in range(length))
    raw = json.dumps({"query": "dogs", "context": {field: text}})
    assert refused_or_read(QueryRequest, raw) is None


@settings(max_examples=100, deadline=None)
@given(digits=FOREIGN_DIGITS, length=st.integers(1, 40))
def test_digits_of_any_script_are_not_json_numbers(digits: str, length: int) -> None:
    text = "".join(digits[n % 10] for n in range(length))
    assert refused_or_read(QueryRequest, f'{{"query": "dogs", "limit": {text}}}') is None


def test_the_contexts_strings_and_signed_zero_are_refused_or_made_plain() -> None:
    for loose in ('"1_000"', '"500"', "1.005", "true", '"\u0665\u0660"'):
        raw = f'{{"query": "dogs", "context": {{"max_price": {loose}}}}}'
        assert refused_or_read(QueryRequest, raw) is None, loose
    request = refused_or_read(QueryRequest, '{"query": "dogs", "context": {"min_price": -0.0}}')
    assert request.context.min_price == 0 and not request.context.min_price.is_signed()
