"""The API's answers as the OpenAPI description shows them.

The views build their answers as dicts; these models say exactly what each holds (and forbid any
other field), so the description and the fuzz test that checks answers against it stay honest.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain.filters import PetFilters
from chalicelib.service.suggestions import MAX_SUGGESTIONS


class ErrorAnswer(BaseModel):
    """Every error the API answers."""

    model_config = ConfigDict(extra="forbid")

    error: str = Field(description="A machine-readable code, e.g. invalid_input, not_found")
    message: str = Field(description="A sentence saying what was wrong")


class Pet(BaseModel):
    """A pet as the API returns it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="The server-made id")
    name: str
    type: str = Field(description="Lowercase, singular: dog, cat, bird, ...")
    breed: str
    age: float = Field(ge=0, description="Age in years")
    price: float = Field(ge=0, description="Price in US dollars")


class PetPage(BaseModel):
    """One page of pets; pass ``next_token`` back for the next one."""

    model_config = ConfigDict(extra="forbid")

    pets: list[Pet]
    next_token: str | None = Field(description="Continues the listing; null on the last page")


class Suggestion(BaseModel):
    """A question that finds pets when the one asked found none, and the filters it reads as."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(description="A question to ask as it is, e.g. 'Poodle dogs up to $400'")
    filters: PetFilters


class PetQueryAnswer(BaseModel):
    """The pets matching a question, and how the question was understood."""

    model_config = ConfigDict(extra="forbid")

    query: str
    filters: PetFilters = Field(
        description="The filters applied: the whole result, previous and new together for a follow-up"
    )
    source: Literal["bedrock", "keyword"] = Field(description="Which parser understood the question")
    summary: str = Field(description="One sentence a person reads, e.g. '3 dogs under $500'")
    pets: list[Pet]
    next_token: str | None
    unmatched: list[str] = Field(description="Words of the question the answer could not use")
    suggestions: list[Suggestion] = Field(
        max_length=MAX_SUGGESTIONS,
        description=f"When no pet matched: up to {MAX_SUGGESTIONS} questions that each find pets",
    )
