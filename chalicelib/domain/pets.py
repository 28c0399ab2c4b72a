"""What a pet is: the validated shape of a new pet and its JSON form."""

from __future__ import annotations

import decimal
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from chalicelib.domain.decimals import CENT, to_json_number
from chalicelib.domain.filters import MAX_AGE, MAX_PRICE, MAX_TEXT
from chalicelib.domain.plain_text import Trimmed, one_line

PUBLIC_FIELDS = ("id", "name", "type", "breed", "age", "price")
# A pet's id as a path takes it: the server makes UUIDs; seeded pets have short ids.
MAX_PET_ID = 64
PET_ID_PATTERN = rf"[A-Za-z0-9_-]{{1,{MAX_PET_ID}}}"


# Quantising is exact or refused: nothing is rounded away. The bounds are checked first, so only
# numbers of a sane size are quantised; DynamoDB keeps 38 digits.
_EXACT = decimal.Context(prec=38, traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow])


def in_hundredths(value: Decimal, maximum: Decimal) -> Decimal:
    """``value`` from 0 to ``maximum``, to the hundredth (a cent of a price, a hundredth of a year).

    The one rule for prices and ages on the way in: ``2.50000`` is 2.50, ``0e-999999999`` is 0.00
    and ``-0`` is 0. A value out of range or with more decimals, NaN or infinity is a ValueError
    saying what is wrong, whatever its exponent.
    """
    if not value.is_finite():
        raise ValueError(f"must be a number from 0 to {maximum}")
    # Comparisons are exact at any exponent (1e999999, 1e-999999999), unlike arithmetic.
    if value < 0:
        raise ValueError("must be 0 or more")
    if value > maximum:
        raise ValueError(f"must be at most {maximum}")
    try:
        exact = value.quantize(CENT, context=_EXACT)
    except decimal.Inexact:
        raise ValueError("must have at most two decimals") from None
    except decimal.DecimalException:
        raise ValueError("must be a number that can be stored") from None
    # A signed zero means nothing for a price or an age: store plain zero.
    return exact.copy_abs() if exact.is_zero() else exact


def _amount(maximum: int) -> Callable[[Any], Decimal]:
    """Reads a JSON number from 0 to ``maximum`` with at most two decimals, as an exact Decimal."""

    def checked(value: Any) -> Decimal:
        # JSON bodies are parsed with parse_float=Decimal, so numbers arrive as int or Decimal;
        # a bool is an int to Python but never a number to a person.
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise ValueError("must be a number")
        return in_hundredths(Decimal(value), Decimal(maximum))

    return checked


# The Field repeats the bounds for the JSON schema (the OpenAPI description, agents' tools).
Age = Annotated[Decimal, BeforeValidator(_amount(MAX_AGE)), Field(ge=0, le=MAX_AGE, decimal_places=2)]
Price = Annotated[Decimal, BeforeValidator(_amount(MAX_PRICE)), Field(ge=0, le=MAX_PRICE, decimal_places=2)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), Trimmed]
MAX_TYPE = 30


class NewPet(BaseModel):
    """A pet as a client sends it; the server adds the id."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: Annotated[Name, Field(description="One line of printable text")]
    type: Annotated[
        str,
        Field(min_length=1, max_length=MAX_TYPE),
        Trimmed,
        Field(description="A word or a few, letters only, e.g. dog, cat, guinea pig; stored lowercase"),
    ]
    breed: Annotated[Name, Field(description="One line of printable text, e.g. Beagle")]
    age: Age
    price: Price

    @field_validator("name", "type", "breed")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return one_line(value)

    @field_validator("type")
    @classmethod
    def _type_word(cls, value: str) -> str:
        # Which word means which type ("puppy" is a dog) is the language layer's to say.
        word = value.lower()
        if not all(part.isalpha() for part in word.split(" ")):
            raise ValueError("must be a word such as dog, cat or bird")
        return word

    def with_id(self) -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), **self.model_dump()}


def public_pet(item: Mapping[str, Any]) -> dict[str, Any]:
    """A stored item as clients see it: the public fields only, Decimals as JSON numbers."""
    pet: dict[str, Any] = {}
    for field in PUBLIC_FIELDS:
        value = item.get(field)
        pet[field] = to_json_number(value) if isinstance(value, Decimal) else value
    return pet
