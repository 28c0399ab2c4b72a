"""How the app reaches AWS: one home for client timeouts and for Cognito's addresses."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.config import Config


@dataclass(frozen=True)
class Timeouts:
    """A client's connect and read timeouts (seconds) and how many attempts it makes in all."""

    connect: float
    read: float
    attempts: int

    def config(self) -> Config:
        # botocore's defaults (60 s + 60 s, legacy retries) would outlast API Gateway's 29 s.
        return Config(
            connect_timeout=self.connect,
            read_timeout=self.read,
            retries={"mode": "standard", "total_max_attempts": self.attempts},
        )


# A client is better told 503 quickly than left waiting past API Gateway's 29 s.
DYNAMODB = Timeouts(connect=2, read=5, attempts=3)
SECRETS_MANAGER = Timeouts(connect=2, read=3, attempts=3)


def cognito_endpoint(region: str) -> str:
    """Cognito's IdP endpoint, where InitiateAuth and the key sets are."""
    return f"https://cognito-idp.{region}.amazonaws.com/"


def cognito_issuer(region: str, user_pool_id: str) -> str:
    """The ``iss`` of the tokens a user pool signs."""
    return cognito_endpoint(region) + user_pool_id
