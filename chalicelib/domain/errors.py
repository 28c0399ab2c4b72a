"""The errors the pet store raises, one class per meaning; app.py turns each into one HTTP answer."""

from __future__ import annotations


class PetStoreError(Exception):
    """Base class of what a client is told: ``code`` and ``status`` name the answer, given where a
    subclass is declared (``class NotFound(PetStoreError, code="not_found", status=404)``)."""

    code = "internal_error"
    status = 500

    def __init_subclass__(cls, code: str = "", status: int = 0, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = code or cls.code
        cls.status = status or cls.status

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(PetStoreError, code="invalid_input", status=400):
    """The request is malformed or out of range; the message names what to change."""


class NotFound(PetStoreError, code="not_found", status=404):
    """The pet asked for does not exist."""


class Unauthorized(PetStoreError, code="unauthorized", status=401):
    """No valid sign-in token came with the request."""


class Forbidden(PetStoreError, code="forbidden", status=403):
    """The caller is signed in but may not do this."""


class Conflict(PetStoreError, code="conflict", status=409):
    """A write met an item that already exists, or an add with the same Idempotency-Key is still
    under way; retrying it is safe."""


class KeyReused(PetStoreError, code="idempotency_key_reused", status=422):
    """An Idempotency-Key came again with another request than the one it was first sent with."""


class PayloadTooLarge(PetStoreError, code="payload_too_large", status=413):
    """The request body is over the size the API reads."""


class ServiceUnavailable(PetStoreError, code="service_unavailable", status=503):
    """A dependency (DynamoDB, the key set, Secrets Manager) did not answer; the client may retry."""


class ConfigurationError(RuntimeError):
    """A setting or resource the stage needs is missing: a deployment mistake, not a client's."""
