"""What a pet is: the validated shape of a new pet and its JSON form."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from chalicelib.domain.filters import MAX_AGE, MAX_PRICE, MAX_TEXT
from chalicelib.domain.numbers import to_json_number
from chalicelib.domain.text import one_line

PUBLIC_FIELDS = ("id", "name", "type", "breed", "age", "price")


def _json_number(value: Any) -> Any:
    # JSON bodies are parsed with parse_float=Decimal, so numbers arrive as int or Decimal;
    # a bool is an int to Python but never a number to a person.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError("must be a number")
    return Decimal(value)


Number = Annotated[Decimal, BeforeValidator(_json_number)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
MAX_TYPE = 30


class NewPet(BaseModel):
    """A pet as a client sends it; the server adds the id."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: Name
    type: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TYPE)]
    breed: Name
    age: Annotated[Number, Field(ge=0, le=MAX_AGE, decimal_places=2)]
    price: Annotated[Number, Field(ge=0, le=MAX_PRICE, decimal_places=2)]

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
