from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.stage_settings import idempotency_table_name
from chalicelib.adapters.storage import IDEMPOTENCY_EXPIRY, table_definition
from infra.bootstrap import ensure_idempotency_table, ensure_table, ensure_user, ensure_user_pool
from infra.resources import merge_template
from infra.seed import DEMO_PASSWORD, sample_pets


@pytest.fixture
def aws() -> Iterator[tuple[Any, Any]]:
    with mock_aws():
        yield (
            boto3.client("dynamodb", region_name="us-east-1"),
            boto3.client("cognito-idp", region_name="us-east-1"),
        )


def test_running_the_bootstrap_twice_changes_nothing(aws: tuple[Any, Any]) -> None:
    dynamodb, cognito = aws
    ensure_table(dynamodb, "PetStore")
    ensure_idempotency_table(dynamodb, "PetStore-idempotency")
    first = ensure_user_pool(cognito, "pool", "web")
    ensure_user(cognito, first.pool_id, "staff", DEMO_PASSWORD, ["staff"])
    ensure_table(dynamodb, "PetStore")
    ensure_idempotency_table(dynamodb, "PetStore-idempotency")
    second = ensure_user_pool(cognito, "pool", "web")
    ensure_user(cognito, second.pool_id, "staff", DEMO_PASSWORD, ["staff"])
    assert first == second
    assert len(cognito.list_user_pools(MaxResults=60)["UserPools"]) == 1
    assert len(cognito.list_user_pool_clients(UserPoolId=first.pool_id)["UserPoolClients"]) == 1
    assert dynamodb.list_tables()["TableNames"] == ["PetStore", "PetStore-idempotency"]


def test_the_app_client_allows_password_sign_in_and_refresh(aws: tuple[Any, Any]) -> None:
    _, cognito = aws
    pool = ensure_user_pool(cognito, "pool", "web")
    ensure_user(cognito, pool.pool_id, "staff", DEMO_PASSWORD, ["staff"])
    client = cognito.describe_user_pool_client(UserPoolId=pool.pool_id, ClientId=pool.client_id)[
        "UserPoolClient"
    ]
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert "ClientSecret" not in client
    signed_in = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "staff", "PASSWORD": DEMO_PASSWORD},
    )["AuthenticationResult"]
    refreshed = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": signed_in["RefreshToken"]},
    )["AuthenticationResult"]
    assert refreshed["IdToken"]
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool.pool_id, Username="staff")["Groups"]
    assert [group["GroupName"] for group in groups] == ["staff"]


def test_the_pool_offers_two_step_sign_in_with_an_authenticator_app(aws: tuple[Any, Any]) -> None:
    _, cognito = aws
    pool = ensure_user_pool(cognito, "pool", "web")
    ensure_user_pool(cognito, "pool", "web")  # again: an existing pool keeps it, or gets it
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert not config.get("SmsMfaConfiguration")
    assert cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["MfaConfiguration"] == "OPTIONAL"
    # Optional: a person who has not set it up signs in with the password alone.
    ensure_user(cognito, pool.pool_id, "shopper", DEMO_PASSWORD)
    signed_in = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "shopper", "PASSWORD": DEMO_PASSWORD},
    )
    assert "ChallengeName" not in signed_in and signed_in["AuthenticationResult"]["AccessToken"]
    # The template's pool says the same in CloudFormation's words.
    template_pool = merge_template("prod")["Resources"]["UserPool"]["Properties"]
    assert template_pool["MfaConfiguration"] == config["MfaConfiguration"]
    assert template_pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]


def test_the_table_has_its_indexes_and_on_demand_billing(aws: tuple[Any, Any]) -> None:
    dynamodb, _ = aws
    ensure_table(dynamodb, "PetStore")
    table = dynamodb.describe_table(TableName="PetStore")["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert len(table["GlobalSecondaryIndexes"]) == len(table_definition("t")["GlobalSecondaryIndexes"]) == 7


def test_a_table_made_by_an_older_version_gets_the_indexes_it_lacks(aws: tuple[Any, Any]) -> None:
    dynamodb, _ = aws
    older = table_definition("PetStore")
    older["GlobalSecondaryIndexes"] = [
        index for index in older["GlobalSecondaryIndexes"] if not index["IndexName"].startswith("breed-")
    ]
    older["AttributeDefinitions"] = [
        a for a in older["AttributeDefinitions"] if a["AttributeName"] != "breed_key"
    ]
    dynamodb.create_table(**older)
    ensure_table(dynamodb, "PetStore")
    ensure_table(dynamodb, "PetStore")  # again: nothing left to add
    indexes = dynamodb.describe_table(TableName="PetStore")["Table"]["GlobalSecondaryIndexes"]
    assert sorted(index["IndexName"] for index in indexes) == sorted(
        index["IndexName"] for index in table_definition("t")["GlobalSecondaryIndexes"]
    )


def test_the_idempotency_table_is_where_the_app_looks_keyed_on_demand_and_expiring(
    aws: tuple[Any, Any],
) -> None:
    dynamodb, _ = aws
    name = idempotency_table_name("PetStore")
    ensure_idempotency_table(dynamodb, name)
    table = dynamodb.describe_table(TableName="PetStore-idempotency")["Table"]
    # Powertools' DynamoDB persistence layer keys its records on a string `id`.
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSEDescription"]["Status"] == "ENABLED" and table["SSEDescription"]["SSEType"] == "KMS"
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": IDEMPOTENCY_EXPIRY}
    assert not table.get("DeletionProtectionEnabled", False)


def test_an_idempotency_table_without_ttl_gets_it_and_a_deployed_one_is_protected(
    aws: tuple[Any, Any],
) -> None:
    dynamodb, _ = aws
    dynamodb.create_table(
        TableName="PetStore-prod-idempotency",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for _ in range(2):
        ensure_idempotency_table(
            dynamodb, "PetStore-prod-idempotency", point_in_time_recovery=True, deletion_protection=True
        )
    ttl = dynamodb.describe_time_to_live(TableName="PetStore-prod-idempotency")["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED" and ttl["AttributeName"] == IDEMPOTENCY_EXPIRY
    assert dynamodb.describe_table(TableName="PetStore-prod-idempotency")["Table"][
        "DeletionProtectionEnabled"
    ]
    backups = dynamodb.describe_continuous_backups(TableName="PetStore-prod-idempotency")
    status = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert status["PointInTimeRecoveryStatus"] == "ENABLED"


def test_the_sample_pets_are_realistic() -> None:
    pets = sample_pets()
    assert (
        len(pets) >= 20
        and len({pet["type"] for pet in pets}) >= 5
        and len({pet["breed"] for pet in pets}) >= 20
    )
    assert len({pet["id"] for pet in pets}) == len(pets)
    assert all(pet["price"] >= 0 and pet["age"] >= 0 for pet in pets)
