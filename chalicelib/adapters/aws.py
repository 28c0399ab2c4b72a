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

    @property
    def worst_case(self) -> float:
        """Seconds one call may take before the client gives up: every attempt timing out, with
        standard mode's backoff between them (at most 1, 2, 4, ... seconds)."""
        backoff = sum(min(2.0**retry, 20.0) for retry in range(self.attempts - 1))
        return self.attempts * (self.connect + self.read) + backoff

    def config(self) -> Config:
        # botocore's defaults (60 s + 60 s, legacy retries) would outlast API Gateway's 29 s.
        return Config(
            connect_timeout=self.connect,
            read_timeout=self.read,
            retries={"mode": "standard", "total_max_attempts": self.attempts},
        )


# AWS error codes that mean "not now" rather than "not so": throttling and the services' own faults
# (DynamoDB's and Secrets Manager's names for them). Any 5xx counts as well.
TRANSIENT_ERROR_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "InternalServiceError",
        "ServiceUnavailable",
    }
)

# DynamoDB answers in milliseconds: a call that takes seconds is failing, and the request's
# deadline keeps room for one call at its worst (7 s) after the last one it starts.
DYNAMODB = Timeouts(connect=1, read=2, attempts=2)
# Read once per container, before the request's deadline is set.
SECRETS_MANAGER = Timeouts(connect=1, read=2, attempts=2)


def cognito_endpoint(region: str) -> str:
    """Cognito's IdP endpoint, where InitiateAuth and the key sets are."""
    return f"https://cognito-idp.{region}.amazonaws.com/"


def cognito_issuer(region: str, user_pool_id: str) -> str:
    """The ``iss`` of the tokens a user pool signs."""
    return cognito_endpoint(region) + user_pool_id
