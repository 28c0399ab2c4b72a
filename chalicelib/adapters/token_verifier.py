"""Checks Cognito tokens as API Gateway's Cognito authorizer does, where the app must do it itself.

Only the ``local`` stage verifies tokens in the app (``chalice local`` checks none); app.py imports
this module, and with it PyJWT and cryptography, on the first token it checks.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt

from chalicelib.adapters.auth import AGENT_SCOPE
from chalicelib.domain.errors import ServiceUnavailable, Unauthorized

log = logging.getLogger(__name__)

# Cognito signs with RS256 only; accepting what the token header claims would let "none" in.
_ALGORITHMS = ["RS256"]
_KEY_TYPE = "RSA"


def key_set(url: str) -> jwt.PyJWKClient:
    """The user pool's key set at ``url``, fetched on first use and kept an hour."""
    return jwt.PyJWKClient(url, lifespan=3600, timeout=5)


class TokenVerifier:
    """Checks a Cognito token as API Gateway's Cognito authorizer does.

    People send ID tokens: signature against the pool's key set (fetched once, then cached),
    issuer, audience (the app client), ``token_use`` of ``id``, and expiry. Agents send access
    tokens, which have no audience: there the authorizer checks the scope instead.

    What is wrong with a token is Unauthorized (401); a key set that cannot be had in a usable
    form (unreachable, not JSON, no usable key) is ServiceUnavailable (503): signing in again
    would not help, retrying later may.
    """

    def __init__(self, jwks: jwt.PyJWKClient, issuer: str, audience: str) -> None:
        self._jwks = jwks
        self._issuer = issuer
        self._audience = audience

    def claims(self, token: str, agent: bool = False) -> dict[str, Any]:
        """The verified claims of an ID token, or with ``agent`` of an agent's access token."""
        key = self._signing_key(token)
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
        except jwt.PyJWTError as error:
            raise _refused(error) from None
        use = "access" if agent else "id"
        if claims.get("token_use") != use:
            raise _refused(f"token_use is not {use!r}")
        if agent and AGENT_SCOPE not in str(claims.get("scope", "")).split():
            raise _refused(f"scope lacks {AGENT_SCOPE!r}")
        return claims

    def _signing_key(self, token: str) -> jwt.PyJWK:
        """The pool's key the token names by its ``kid``."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as error:
            raise _refused(error) from None
        if not isinstance(kid, str) or not kid:
            raise _refused("no kid in the token's header")
        try:
            keys = self._jwks.get_signing_keys()
        except Exception as error:
            # Unreachable or an error status (PyJWKClientConnectionError), not JSON (ValueError),
            # no usable key (PyJWKSetError), and members PyJWT trips on (TypeError for an "alg"
            # that is a list): whatever the pool's key set does wrong, no token can be checked.
            raise _unavailable(error) from None
        key = next((key for key in keys if key.key_id == kid), None)
        if key is None:
            key = self._refreshed_key(kid)
        if key.key_type != _KEY_TYPE:
            raise _refused(f"key {kid!r} is of type {key.key_type!r}, not {_KEY_TYPE}")
        return key

    def _refreshed_key(self, kid: str) -> jwt.PyJWK:
        # An unknown kid may be a key Cognito rotated in: PyJWKClient fetches the set once more
        # (at most every 30 s, so forged kids cannot make it fetch on every request).
        try:
            return self._jwks.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as error:
            raise _unavailable(error) from None
        except jwt.PyJWKClientError as error:  # no key of that kid, even in a fresh copy of the set
            raise _refused(error) from None
        except Exception as error:  # the fresh copy itself is unusable
            raise _unavailable(error) from None


def _refused(reason: object) -> Unauthorized:
    log.info("Refused a token: %s", reason)
    return Unauthorized("The sign-in token is missing, invalid or expired; please sign in again.")


def _unavailable(reason: object) -> ServiceUnavailable:
    log.warning("The user pool's key set is unavailable: %s", reason)
    return ServiceUnavailable("Sign-in tokens cannot be checked right now; please retry in a moment.")
