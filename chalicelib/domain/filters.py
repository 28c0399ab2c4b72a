"""The one definition of a pet query's filters and sort order.

The Bedrock tool schema, the check of what the model returns, the keyword
parser's result, a follow-up's ``context`` and the ``filters`` of a query answer
all come from :class:`PetFilters`.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from chalicelib.domain.decimals import CENT, to_json_number
from chalicelib.domain.plain_text import Trimmed, one_line, question_words

MAX_PRICE = 1_000_000
MAX_AGE = 200
MAX_TEXT = 100
# How many types or breeds one "any of" or "none of" may list.
MAX_CHOICES = 10


class SortBy(enum.StrEnum):
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    AGE_ASC = "age_asc"
    AGE_DESC = "age_desc"

    @property
    def field(self) -> str:
        return self.value.split("_")[0]

    @property
    def descending(self) -> bool:
        return self.value.endswith("_desc")


Price = Annotated[Decimal, Field(ge=0, le=MAX_PRICE)]
Age = Annotated[Decimal, Field(ge=0, le=MAX_AGE)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), Trimmed]
Choices = Annotated[tuple[Text, ...], Field(max_length=MAX_CHOICES)]


class PetFilters(BaseModel):
    """What a shopper asked for. Every field is optional; None means "any".

    Types and breeds can each be one (``type_filter``, ``breed``), any of several (``types``,
    ``breeds``) or none of several (``exclude_types``, ``exclude_breeds``). One form per meaning:
    a single choice is always ``type_filter``/``breed``, two or more are ``types``/``breeds``,
    and lists are sorted and free of repeats. Breeds narrow the types they belong to; a type
    none of whose breeds is listed is read whole ("cats or beagles": every cat, and beagles).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    type_filter: Text | None = Field(
        None, description="Kind of pet, lowercase singular: dog, cat, bird, rabbit, fish, ..."
    )
    types: Choices | None = Field(
        None, description="Several kinds of pet, any of them: rabbits or guinea pigs -> rabbit, guinea pig"
    )
    exclude_types: Choices | None = Field(None, description="Kinds of pet to leave out: no birds -> bird")
    breed: Text | None = Field(None, description="Breed, e.g. Golden Retriever, Siamese")
    breeds: Choices | None = Field(None, description="Several breeds, any of them: poodles or beagles")
    exclude_breeds: Choices | None = Field(
        None, description="Breeds to leave out: cats but not Siamese -> Siamese"
    )
    name: Text | None = Field(None, description="The pet's name, when one pet is asked for by name")
    min_price: Price | None = Field(None, description="Lowest price in US dollars")
    max_price: Price | None = Field(None, description="Highest price in US dollars")
    min_age: Age | None = Field(None, description="Youngest age in years")
    max_age: Age | None = Field(None, description="Oldest age in years")
    sort_by: SortBy | None = Field(None, description="Sort order of the results")

    @field_validator("type_filter", "breed", "name")
    @classmethod
    def _collapse_text(cls, value: str | None) -> str | None:
        return None if value is None else one_line(value)

    @field_validator("types", "exclude_types", "breeds", "exclude_breeds")
    @classmethod
    def _collapse_choices(cls, values: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(one_line(value) for value in values)

    @field_validator("min_price", "max_price", "min_age", "max_age")
    @classmethod
    def _cents(cls, value: Decimal | None) -> Decimal | None:
        # One form per number ("500.00", 500 and 5E+2 alike), at most two decimals: page tokens
        # are signed over the filters, and DynamoDB takes at most 38 digits.
        return None if value is None else value.quantize(CENT).normalize()

    @field_validator("type_filter")
    @classmethod
    def _lowercase_type(cls, value: str | None) -> str | None:
        # Types are stored lowercase; which word means which type is the language layer's business.
        return value.lower() if value else value

    @field_validator("types", "exclude_types")
    @classmethod
    def _lowercase_types(cls, values: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(value.lower() for value in values)

    @model_validator(mode="after")
    def _one_form_per_choice(self) -> PetFilters:
        # frozen model: set through object.__setattr__, once, while validating
        for one, several in (("type_filter", "types"), ("breed", "breeds")):
            chosen = _distinct((getattr(self, one), *(getattr(self, several) or ())))
            if len(chosen) > MAX_CHOICES:
                raise ValueError(f"{several} may list at most {MAX_CHOICES}")
            object.__setattr__(self, one, chosen[0] if len(chosen) == 1 else None)
            object.__setattr__(self, several, chosen if len(chosen) > 1 else None)
        for excluded in ("exclude_types", "exclude_breeds"):
            object.__setattr__(self, excluded, _distinct(getattr(self, excluded) or ()) or None)
        return self

    @model_validator(mode="after")
    def _order_ranges(self) -> PetFilters:
        # frozen model: swap through object.__setattr__ so a reversed range still means what was meant
        for low, high in (("min_price", "max_price"), ("min_age", "max_age")):
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                object.__setattr__(self, low, hi)
                object.__setattr__(self, high, lo)
        return self

    @classmethod
    def from_untrusted(cls, raw: Mapping[str, Any]) -> PetFilters:
        """Keep what is valid in ``raw`` (a model's tool input), clamp numbers, drop the rest."""
        cleaned: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in cls.model_fields or value is None or value == "":
                continue
            cleaned[key] = _choices(value) if key in _CHOICE_FIELDS else _clamp(key, value)
            if cleaned[key] is None:
                del cleaned[key]
        while True:
            try:
                return cls.model_validate(cleaned)
            except ValidationError as error:
                bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
                if not bad & cleaned.keys():
                    return cls()
                for key in bad:
                    cleaned.pop(key, None)

    @property
    def any_types(self) -> tuple[str, ...]:
        """The types asked for, one or several; empty for any type."""
        return self.types or ((self.type_filter,) if self.type_filter else ())

    @property
    def any_breeds(self) -> tuple[str, ...]:
        """The breeds asked for, one or several; empty for any breed."""
        return self.breeds or ((self.breed,) if self.breed else ())

    def applied(self) -> dict[str, Any]:
        """The filters in force, JSON-ready (numbers as numbers, enums as their value, lists as lists)."""
        out: dict[str, Any] = {}
        for key, value in self.model_dump(exclude_none=True).items():
            if isinstance(value, Decimal):
                value = to_json_number(value)
            elif isinstance(value, SortBy):
                value = value.value
            elif isinstance(value, tuple):
                value = list(value)
            out[key] = value
        return out

    def compact(self) -> str:
        """The filters in force as compact JSON, keys sorted: one text for one meaning."""
        return json.dumps(self.applied(), separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def asked_key(question: str, context: PetFilters | None = None) -> str:
    """A question and the filters it follows up on, as one key, case and spacing aside: what
    Bedrock's answers are cached by and what a question's page tokens are bound to."""
    return f"{question_words(question)}\n{context.compact() if context is not None else ''}"


def _distinct(values: tuple[str | None, ...]) -> tuple[str, ...]:
    """``values`` without blanks or repeats (case aside, first spelling kept), sorted."""
    kept: dict[str, str] = {}
    for value in values:
        if value:
            kept.setdefault(value.casefold(), value)
    return tuple(sorted(kept.values(), key=str.casefold))


_CHOICE_FIELDS = frozenset({"types", "exclude_types", "breeds", "exclude_breeds"})


def _choices(value: Any) -> Any:
    # A model may write one choice as a bare string, or slip a bad entry into a list: keep the good ones.
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)):
        return value
    kept = [v for v in values if isinstance(v, str) and v.strip() and len(v) <= MAX_TEXT and v.isprintable()]
    return kept[:MAX_CHOICES] or None


def _clamp(key: str, value: Any) -> Any:
    limit = {"min_price": MAX_PRICE, "max_price": MAX_PRICE, "min_age": MAX_AGE, "max_age": MAX_AGE}.get(key)
    if limit is None or isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        return value
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return value
    if not number.is_finite():
        return None
    return min(max(number, Decimal(0)), Decimal(limit))
