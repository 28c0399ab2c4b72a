"""The body of ``POST /pets/query``, and its answer with the token that continues it."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

from chalicelib.domain import pets
from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import MAX_CHOICES, PetFilters, Text
from chalicelib.domain.plain_text import Trimmed
from chalicelib.service.answering import Answer, PetQuestions
from chalicelib.web.inputs import DEFAULT_LIMIT, MAX_LIMIT
from chalicelib.web.paging import MAX_TOKEN_CHARS, Paging

MAX_QUESTION_CHARS = 500
# A question's body: the question, a next_token at its longest and a context at its longest.
MAX_BODY_BYTES = 16 * 1024

# A context's text as a body's: a string, never a number or a list standing in for one.
_Text = Annotated[Text, Strict()]
_Choices = Annotated[tuple[_Text, ...], Field(max_length=MAX_CHOICES)]


def _described(name: str) -> Any:
    return Field(None, description=PetFilters.model_fields[name].description)


class FollowUpContext(PetFilters):
    """The ``filters`` of the answer a question follows up on, sent back as they came.

    As strict as a new pet's body: numbers are JSON numbers with at most two decimals ("-0" is 0),
    text is text, and a field the filters do not have is refused, each naming its field.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    type_filter: _Text | None = _described("type_filter")
    types: _Choices | None = _described("types")
    exclude_types: _Choices | None = _described("exclude_types")
    breed: _Text | None = _described("breed")
    breeds: _Choices | None = _described("breeds")
    exclude_breeds: _Choices | None = _described("exclude_breeds")
    name: _Text | None = _described("name")
    min_price: pets.Price | None = _described("min_price")
    max_price: pets.Price | None = _described("max_price")
    min_age: pets.Age | None = _described("min_age")
    max_age: pets.Age | None = _described("max_age")


class QueryRequest(BaseModel):
    """The body of ``POST /pets/query``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    query: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS), Trimmed]
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    next_token: Annotated[str, StringConstraints(max_length=MAX_TOKEN_CHARS)] | None = None
    context: FollowUpContext | None = Field(
        None,
        description="The filters of the answer this question follows up on, as they came; "
        "without it the question starts fresh",
    )

    def follow_up_of(self) -> PetFilters | None:
        """The context as plain filters, or None."""
        return None if self.context is None else PetFilters.model_validate(self.context.model_dump())


def answer(
    questions: PetQuestions,
    paging: Paging,
    request: QueryRequest,
    route: str,
    deadline: Deadline | None = None,
) -> Answer:
    """``questions``' answer to ``request`` on ``route``, with the token that continues it.

    Its tokens are bound to the question and its context, case and spacing aside.
    """
    context = request.follow_up_of()
    resume = paging.resume(request.next_token, route, request.query, context)
    answered = questions.answer(request.query, request.limit, resume, context, deadline)
    token = paging.question_token(answered.resume, route, request.query, context)
    return replace(answered, shown=answered.shown.model_copy(update={"next_token": token}))
