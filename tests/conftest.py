"""Shared fixtures: app settings, an in-process DynamoDB, signing keys, and the real local stack."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# app.py reads these at import (CORS origin, whether it checks tokens itself); set them first.
os.environ.setdefault("STAGE", "local")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("CORS_ORIGIN", "http://127.0.0.1:8080")
os.environ.setdefault("PAGE_TOKEN_SECRET", "test-secret-of-at-least-16-bytes")
for _credential in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_credential, "testing")

from localdev.stack import LocalStack, Ports  # noqa: E402
from tests.keys import SigningKey  # noqa: E402


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey()


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    """The stack `make run` starts, on free ports, driven over HTTP by the integration tests."""
    with LocalStack(ports=Ports.free()) as stack:
        yield stack
