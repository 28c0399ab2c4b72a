"""Shared fixtures: app settings, an in-process DynamoDB, signing keys, and the real local stack."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# app.py reads these at import (CORS origin, whether it checks tokens itself); set them first.
os.environ.setdefault("STAGE", "local")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("CORS_ORIGIN", "http://127.0.0.1:8080")
os.environ.setdefault("PAGE_TOKEN_SECRET", "test-secret-of-at-least-16-bytes")
for _credential in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_credential, "testing")

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from chalicelib.adapters.storage import PetStore  # noqa: E402
from infra.bootstrap import ensure_table  # noqa: E402
from infra.seed import sample_pets  # noqa: E402
from localdev.stack import LocalStack, Ports  # noqa: E402
from tests.support.keys import SigningKey  # noqa: E402

REGION = "us-east-1"
TABLE_NAME = "PetStore"


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey()


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    """The stack `make run` starts, on free ports, driven over HTTP by the integration tests."""
    with LocalStack(ports=Ports.free()) as stack:
        yield stack


@pytest.fixture
def table() -> Iterator[Any]:
    """The pets table, empty, in an in-process DynamoDB (moto) that lives as long as the test."""
    with mock_aws():
        ensure_table(boto3.client("dynamodb", region_name=REGION), TABLE_NAME)
        yield boto3.resource("dynamodb", region_name=REGION).Table(TABLE_NAME)


@pytest.fixture
def store(table: Any) -> PetStore:
    """The pets table holding the sample pets."""
    pets = PetStore(table)
    pets.load(sample_pets())
    return pets
