"""Who is calling: Cognito ID token checks and the staff group rule."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from chalicelib.domain.errors import Forbidden, ServiceUnavailable, Unauthorized

log = logging.getLogger(__name__)

STAFF_GROUP = "staff"
# AI agents (an AgentCore Gateway) send client-credentials access tokens with this scope, to
# read-only copies of the views under AGENT_PATH_PREFIX, named AGENT_VIEW_PREFIX + the view's name.
AGENT_SCOPE = "petstore/agent"
AGENT_PATH_PREFIX = "/agent"
AGENT_VIEW_PREFIX = "agent_"
# Cognito signs with RS256 only; accepting what the token header claims would let "none" in.
_ALGORITHMS = ["RS256"]


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


class TokenVerifier:
    """Checks a Cognito token as API Gateway's Cognito authorizer does.

    People send ID tokens: signature against the pool's key set (fetched once, then cached),
    issuer, audience (the app client), ``token_use`` of ``id``, and expiry. Agents send access
    tokens, which have no audience: there the authorizer checks the scope instead.
    """

    def __init__(self, jwks: jwt.PyJWKClient, issuer: str, audience: str) -> None:
        self._jwks = jwks
        self._issuer = issuer
        self._audience = audience

    def claims(self, token: str, agent: bool = False) -> dict[str, Any]:
        """The verified claims of an ID token, or with ``agent`` of an agent's access token."""
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as error:
            log.warning("Could not fetch the user pool's key set: %s", error)
            raise ServiceUnavailable("The sign-in service could not be reached; please retry.") from None
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as error:
            raise _refused(error) from None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=_ALGORITHMS,
                audience=None if agent else self._audience,
                issuer=self._issuer,
                options={
                    "require": ["exp", "iat", "iss", "token_use", "client_id" if agent else "aud"],
                    "verify_aud": not agent,
                },
            )
        except jwt.InvalidTokenError as error:
            raise _refused(error) from None
        use = "access" if agent else "id"
        if claims.get("token_use") != use:
            raise _refused(f"token_use is not {use!r}")
        if agent and AGENT_SCOPE not in str(claims.get("scope", "")).split():
            raise _refused(f"scope lacks {AGENT_SCOPE!r}")
        return claims


def _refused(reason: object) -> Unauthorized:
    log.info("Refused a token: %s", reason)
    return Unauthorized("The sign-in token is missing, invalid or expired; please sign in again.")


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
    return User(str(claims["cognito:username"]), _groups(claims.get("cognito:groups")))


def _groups(value: Any) -> frozenset[str]:
    # A verified token has a list; API Gateway's authorizer hands claims on as strings,
    # "staff" or "[staff admin]" or "staff,admin" depending on the path it took.
    if isinstance(value, list):
        return frozenset(str(group) for group in value)
    if isinstance(value, str):
        return frozenset(value.strip("[]").replace(",", " ").split())
    return frozenset()
