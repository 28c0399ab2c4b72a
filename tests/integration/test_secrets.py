"""Deployed stages read the page-token secret from Secrets Manager, once per container."""

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.stage_settings import ConfigurationError, Settings, stored_secret


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    stored_secret.cache_clear()
    yield
    stored_secret.cache_clear()


def test_the_secret_comes_from_secrets_manager_when_not_in_the_environment() -> None:
    with mock_aws():
        boto3.client("secretsmanager", region_name="us-east-1").create_secret(
            Name="petstore/dev/page-token-secret", SecretString="s" * 40
        )
        env = {
            "STAGE": "dev",
            "AWS_REGION": "us-east-1",
            "PAGE_TOKEN_SECRET_ID": "petstore/dev/page-token-secret",
        }
        assert Settings.from_env(env).page_token_secret == b"s" * 40
    # Cached: the container does not ask again (moto's secret is gone by now).
    assert Settings.from_env(env).page_token_secret == b"s" * 40


def test_a_missing_secret_is_a_configuration_error() -> None:
    with mock_aws(), pytest.raises(ConfigurationError, match="PAGE_TOKEN_SECRET_ID"):
        Settings.from_env({"AWS_REGION": "us-east-1", "PAGE_TOKEN_SECRET_ID": "petstore/dev/absent"})


def test_the_environment_wins_over_the_stored_secret() -> None:
    assert Settings.from_env(
        {"PAGE_TOKEN_SECRET": "x" * 16, "PAGE_TOKEN_SECRET_ID": "unused"}
    ).page_token_secret
