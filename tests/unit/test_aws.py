"""Client timeouts and Cognito's addresses, each defined once."""

from typing import Any

import boto3

from chalicelib.adapters.aws import DYNAMODB, Timeouts, cognito_endpoint, cognito_issuer


def options(config: Any) -> dict[str, Any]:
    # botocore sets Config's options as instance attributes at run time; the type stubs do not list them
    return dict(vars(config))


def test_timeouts_reach_the_client() -> None:
    client = boto3.client("bedrock-runtime", region_name="us-east-1", config=Timeouts(1, 5, 3).config())

    applied = options(client.meta.config)
    assert (applied["connect_timeout"], applied["read_timeout"]) == (1, 5)
    assert applied["retries"] == {"mode": "standard", "total_max_attempts": 3}


def test_dynamodb_is_given_up_on_well_inside_api_gateway() -> None:
    assert DYNAMODB.attempts * (DYNAMODB.connect + DYNAMODB.read) < 29


def test_cognito_addresses() -> None:
    assert cognito_endpoint("eu-west-1") == "https://cognito-idp.eu-west-1.amazonaws.com/"
    assert (
        cognito_issuer("eu-west-1", "eu-west-1_abc")
        == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
    )
