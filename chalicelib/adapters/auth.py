"""Who is calling: the caller named by verified claims, the group claim's forms and the staff rule.

Checking a token's signature is ``token_verifier``'s work, apart so that deployed stages, where
API Gateway checks tokens, never load PyJWT.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import Forbidden, Unauthorized

log = logging.getLogger(__name__)

STAFF_GROUP = "staff"
# AI agents (an AgentCore Gateway) send client-credentials access tokens with this scope, to
# read-only copies of the views under AGENT_PATH_PREFIX, named AGENT_VIEW_PREFIX + the view's name.
AGENT_SCOPE = "petstore/agent"
AGENT_PATH_PREFIX = "/agent"
AGENT_VIEW_PREFIX = "agent_"


@dataclass(frozen=True)
class User:
    username: str
    groups: frozenset[str]

    @property
    def is_staff(self) -> bool:
        return STAFF_GROUP in self.groups

    def require_staff(self) -> None:
        if not self.is_staff:
            raise Forbidden(f"Only members of the {STAFF_GROUP!r} group may add pets.")


def bearer_token(headers: Mapping[str, str]) -> str:
    """The token of an ``Authorization`` header, with or without a ``Bearer`` prefix."""
    value = (headers.get("authorization") or "").strip()
    scheme, _, rest = value.partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else value
    if not token:
        raise Unauthorized("Sign in first: send your ID token in the Authorization header.")
    return token


def user_from_claims(claims: Mapping[str, Any] | None, agent: bool = False) -> User:
    """The caller named by verified claims; no claims means nobody signed in.

    An agent is named after its app client and belongs to no group, so it may only read.
    """
    if agent:
        if (
            not claims
            or not claims.get("client_id")
            or AGENT_SCOPE not in str(claims.get("scope", "")).split()
        ):
            raise Unauthorized(f"Agents send a Cognito access token with the scope {AGENT_SCOPE!r}.")
        return User(f"agent:{claims['client_id']}", frozenset())
    if not claims or not claims.get("cognito:username"):
        raise Unauthorized("Sign in first: send your ID token in the Authorization header.")
    return User(str(claims["cognito:username"]), groups_claim(claims.get("cognito:groups")))


def groups_claim(value: Any) -> frozenset[str]:
    """The groups of a ``cognito:groups`` claim, read only in the forms it really arrives in.

    A token verified here holds a JSON list of names. API Gateway's Cognito authorizer hands a
    Lambda proxy every claim as a string: one group as its name (``staff``), several as their
    names between brackets, one space apart (``[staff admin]``). Cognito group names hold no
    whitespace, so those forms are exact; anything else (commas, padding, a list of non-strings,
    a number) is no form the claim takes, and grants no group at all.
    """
    if isinstance(value, list):
        if all(isinstance(name, str) and _is_group_name(name) for name in value):
            return frozenset(value)
    elif isinstance(value, str):
        names = value[1:-1].split(" ") if value.startswith("[") and value.endswith("]") else [value]
        if value in ("", "[]"):
            return frozenset()
        if all(_is_group_name(name) for name in names):
            return frozenset(names)
    if value is not None:
        log.warning("Ignored a cognito:groups claim in no form API Gateway or Cognito sends: %.200r", value)
    return frozenset()


def _is_group_name(name: str) -> bool:
    # Cognito: 1 to 128 letters, marks, symbols, numbers or punctuation; no whitespace.
    return 0 < len(name) <= 128 and not any(char.isspace() for char in name)
