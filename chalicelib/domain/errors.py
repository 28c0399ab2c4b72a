"""The errors the pet store raises, one class per meaning; app.py turns each into one HTTP answer."""

from __future__ import annotations


class PetStoreError(Exception):
    """Base class of what a client is told: ``code`` and ``status`` name the answer."""

    code = "internal_error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(PetStoreError):
    """The request is malformed or out of range; the message names what to change."""

    code = "invalid_input"
    status = 400


class NotFound(PetStoreError):
    """The pet asked for does not exist."""

    code = "not_found"
    status = 404


class Unauthorized(PetStoreError):
    """No valid sign-in token came with the request."""

    code = "unauthorized"
    status = 401


class Forbidden(PetStoreError):
    """The caller is signed in but may not do this."""

    code = "forbidden"
    status = 403


class Conflict(PetStoreError):
    """A write met an item that already exists, or an add with the same Idempotency-Key is still
    under way; retrying it is safe."""

    code = "conflict"
    status = 409


class KeyReused(PetStoreError):
    """An Idempotency-Key came again with another request than the one it was first sent with."""

    code = "idempotency_key_reused"
    status = 422


class PayloadTooLarge(PetStoreError):
    """The request body is over the size the API reads."""

    code = "payload_too_large"
    status = 413


class ServiceUnavailable(PetStoreError):
    """A dependency (DynamoDB, the key set, Secrets Manager) did not answer; the client may retry."""

    code = "service_unavailable"
    status = 503


class ConfigurationError(RuntimeError):
    """A setting or resource the stage needs is missing: a deployment mistake, not a client's."""
