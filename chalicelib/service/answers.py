"""The API's answers: the models the service builds them as, ``web/`` sends, and the OpenAPI
description shows. Each forbids fields it does not name, so the description stays exact."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from chalicelib.domain.filters import PetFilters

# Which reader understood a question: the answer's "source".
Source = Literal["bedrock", "keyword"]
MAX_SUGGESTIONS = 3


class Pet(BaseModel):
    """A pet as the API returns it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="The server-made id")
    name: str
    type: str = Field(description="Lowercase, singular: dog, cat, bird, ...")
    breed: str
    age: float = Field(ge=0, description="Age in years")
    price: float = Field(ge=0, description="Price in US dollars")

    @field_serializer("age", "price")
    def _number(self, value: float) -> int | float:
        # 500, not 500.0: as the store keeps it
        return int(value) if value.is_integer() else value


class PetPage(BaseModel):
    """One page of pets; pass ``next_token`` back for the next one."""

    model_config = ConfigDict(extra="forbid")

    pets: list[Pet]
    next_token: str | None = Field(description="Continues the listing; null on the last page")


class Suggestion(BaseModel):
    """A question that finds pets when the one asked found none, and the filters it reads as."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    query: str = Field(description="A question to ask as it is, e.g. 'Poodle dogs up to $400'")
    filters: PetFilters

    @field_serializer("filters")
    def _filters(self, filters: PetFilters) -> dict[str, Any]:
        return filters.applied()


class PetQueryAnswer(BaseModel):
    """The pets matching a question, and how the question was understood."""

    model_config = ConfigDict(extra="forbid")

    query: str
    filters: PetFilters = Field(
        description="The filters applied: the whole result, previous and new together for a follow-up"
    )
    source: Source = Field(description="Which reader understood the question")
    summary: str = Field(description="One sentence a person reads, e.g. '3 dogs under $500'")
    pets: list[Pet]
    next_token: str | None = Field(description="Continues the answer: the next page; null on the last one")
    unmatched: list[str] = Field(description="Words of the question the answer could not use")
    suggestions: list[Suggestion] = Field(
        max_length=MAX_SUGGESTIONS,
        description=f"When no pet matched: up to {MAX_SUGGESTIONS} questions that each find pets",
    )
    relaxed: list[str] = Field(
        description="Filters carried from the context that were dropped because with them nothing "
        "matched while this question's own words did, e.g. ['max_price', 'min_price']"
    )
    corrected: dict[str, str] = Field(
        description="Misspelled words and what they were read as, e.g. {'chiwawa': 'Chihuahua'}"
    )

    @field_serializer("filters")
    def _filters(self, filters: PetFilters) -> dict[str, Any]:
        return filters.applied()

    def body(self) -> dict[str, Any]:
        """The answer as JSON sends it."""
        return self.model_dump(mode="json")


class ErrorAnswer(BaseModel):
    """Every error the API answers."""

    model_config = ConfigDict(extra="forbid")

    error: str = Field(description="A machine-readable code, e.g. invalid_input, not_found")
    message: str = Field(description="A sentence saying what was wrong")
