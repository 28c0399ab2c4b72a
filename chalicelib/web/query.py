"""The body of ``POST /pets/query`` and the signed token that continues its answer."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import PetFilters, asked_key
from chalicelib.domain.text import Trimmed
from chalicelib.service.questions import Answer, PetQuestions, Resume
from chalicelib.web.inputs import DEFAULT_LIMIT, MAX_LIMIT
from chalicelib.web.tokens import MAX_TOKEN_CHARS, PageTokens, bad_token

MAX_QUESTION_CHARS = 500
# A question's body: the question, a next_token at its longest and a context at its longest.
MAX_BODY_BYTES = 16 * 1024


class FollowUpContext(PetFilters):
    """The ``filters`` of the answer a question follows up on, sent back as they came."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


def resume_from(tokens: PageTokens, token: str | None, route: str, asked: str) -> Resume | None:
    """Where ``token`` says to go on with the question ``asked``; None to start from the first page."""
    state = tokens.decode(token, route, asked)
    if not state:
        return None
    try:
        return Resume.from_state(state)
    except ValueError:
        raise bad_token() from None


def answer(
    questions: PetQuestions,
    tokens: PageTokens,
    request: QueryRequest,
    route: str,
    deadline: Deadline | None = None,
) -> Answer:
    """``questions``' answer to ``request`` on ``route``, its body ready to send with its own next_token.

    Its tokens are bound to the question and its context, case and spacing aside.
    """
    context = request.follow_up_of()
    asked = asked_key(request.query, context)
    resume = resume_from(tokens, request.next_token, route, asked)
    answered = questions.answer(request.query, request.limit, resume, context, deadline)
    more = tokens.encode(answered.resume.state(), route, asked) if answered.resume else None
    return replace(answered, body={**answered.body, "next_token": more})
