"""The errors chalicelib raises; app.py turns each into one HTTP answer."""

from __future__ import annotations


class PetStoreError(Exception):
    """Base class: ``code`` and ``status`` are what the client is told."""

    code = "internal_error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(PetStoreError):
    code = "invalid_input"
    status = 400


class NotFound(PetStoreError):
    code = "not_found"
    status = 404


class Unauthorized(PetStoreError):
    code = "unauthorized"
    status = 401


class Forbidden(PetStoreError):
    code = "forbidden"
    status = 403


class Conflict(PetStoreError):
    code = "conflict"
    status = 409


class ServiceUnavailable(PetStoreError):
    """A dependency (DynamoDB, the key set) did not answer; the client may retry."""

    code = "service_unavailable"
    status = 503


class PayloadTooLarge(PetStoreError):
    code = "payload_too_large"
    status = 413
