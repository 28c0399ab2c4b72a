"""The body of ``POST /pets/query`` and the signed token that continues its answer."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chalicelib.domain.deadline import Deadline
from chalicelib.domain.filters import PetFilters
from chalicelib.domain.text import printable
from chalicelib.service.questions import Answer, PetQuestions, Resume
from chalicelib.web.inputs import DEFAULT_LIMIT, MAX_LIMIT
from chalicelib.web.tokens import MAX_TOKEN_CHARS, PageTokens, bad_token

MAX_QUESTION_CHARS = 500
# A question's body: the question, a next_token at its longest and a context at its longest.
MAX_BODY_BYTES = 16 * 1024


class FollowUpContext(PetFilters):
    """The ``filters`` of the answer a question follows up on, sent back as they came."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class QueryRequest(BaseModel):
    """The body of ``POST /pets/query``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    query: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)
    ]
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


def asked_with(request: QueryRequest) -> str:
    """What a question's tokens are bound to: its words (case and spacing aside) and its context."""
    words = " ".join(printable(request.query).split()).casefold()
    context = request.follow_up_of()
    earlier = json.dumps(context.applied(), sort_keys=True, separators=(",", ":")) if context else ""
    return f"{words}\n{earlier}"


def resume_from(tokens: PageTokens, request: QueryRequest, route: str) -> Resume | None:
    """Where the question's ``next_token`` says to go on; None to start from the first page."""
    state = tokens.decode(request.next_token, route, asked_with(request))
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
    """``questions``' answer to ``request`` on ``route``, its body ready to send with its own next_token."""
    resume = resume_from(tokens, request, route)
    answered = questions.answer(request.query, request.limit, resume, request.follow_up_of(), deadline)
    more = tokens.encode(answered.resume.state(), route, asked_with(request)) if answered.resume else None
    return replace(answered, body={**answered.body, "next_token": more})
