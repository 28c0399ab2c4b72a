"""An RSA key that signs Cognito-shaped ID tokens, and a key-set client that serves it offline."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

REGION = "us-east-1"
POOL_ID = "us-east-1_TestPool"
CLIENT_ID = "test-client-id"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}"


class SigningKey:
    def __init__(self, kid: str = "test-key") -> None:
        self.kid = kid
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._private.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def token(self, username: str = "shopper", groups: list[str] | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": f"sub-{username}",
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "token_use": "id",
            "iat": now,
            "auth_time": now,
            "exp": now + 3600,
            "cognito:username": username,
        }
        if groups is not None:
            claims["cognito:groups"] = groups
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, self._private, algorithm="RS256", headers={"kid": self.kid})


class StaticKeySet(jwt.PyJWKClient):
    """PyJWKClient whose key set is given rather than fetched; counts the fetches it answers."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        super().__init__("https://keys.invalid/jwks.json")
        self._static = jwks
        self.fetches = 0

    def fetch_data(self) -> Any:
        self.fetches += 1
        return self._static
