"""Idempotent creation of the pets table, the idempotency table, the user pool, its app client and the
staff group."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from chalicelib.adapters.auth import STAFF_GROUP
from chalicelib.adapters.storage import IDEMPOTENCY_EXPIRY, idempotency_table_definition, table_definition

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_cognito_idp.type_defs import PasswordPolicyTypeTypeDef
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import SSESpecificationTypeDef

log = logging.getLogger(__name__)

INDEX_POLL_SECONDS = 5
# The idempotency table is encrypted with the account's AWS managed key (aws/dynamodb), as in the
# template (infra/resources/state.py), where the same setting is SSEEnabled.
IDEMPOTENCY_TABLE_SSE: SSESpecificationTypeDef = {"Enabled": True, "SSEType": "KMS"}

PASSWORD_POLICY: PasswordPolicyTypeTypeDef = {
    "MinimumLength": 12,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}


# The pool and app client settings, shared by the bootstrap and the CloudFormation template
# (infra/resources): CreateUserPool's and AWS::Cognito::UserPool's names for them are the same.
USER_POOL_SETTINGS: dict[str, Any] = {
    "Policies": {"PasswordPolicy": PASSWORD_POLICY},
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
    "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "admin_only"}]},
}
# Two-step sign-in with an authenticator app (TOTP), for each person who turns it on: the page
# offers it to staff. CreateUserPool cannot enable software tokens, so the bootstrap sets them
# with SetUserPoolMfaConfig; the template names the same settings on the pool.
MFA_CONFIGURATION: Final = "OPTIONAL"
ENABLED_MFAS = ["SOFTWARE_TOKEN_MFA"]
# A refresh token lasts a working day: a person signs in once per shift, a token copied from a
# shared shop computer is worthless by the next morning, and logging out revokes it at once.
REFRESH_TOKEN_HOURS = 12
APP_CLIENT_SETTINGS: dict[str, Any] = {
    "GenerateSecret": False,
    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": True,
    "IdTokenValidity": 60,
    "AccessTokenValidity": 60,
    "RefreshTokenValidity": REFRESH_TOKEN_HOURS,
    "TokenValidityUnits": {"IdToken": "minutes", "AccessToken": "minutes", "RefreshToken": "hours"},
}
STAFF_GROUP_DESCRIPTION = "May add pets to the store"
SIGNING_KEY_DESCRIPTION = "Signs the pet store's pagination tokens"


@dataclass(frozen=True)
class UserPool:
    pool_id: str
    arn: str
    client_id: str


def ensure_table(
    dynamodb: DynamoDBClient,
    table_name: str,
    point_in_time_recovery: bool = False,
    deletion_protection: bool = False,
) -> None:
    """Creates the pets table with its indexes unless it exists, then waits until it is active.

    Deployed stages turn on point-in-time recovery (and, in prod, deletion protection); both are
    applied to an existing table too, so running the bootstrap again brings it up to date.
    """
    try:
        table = dynamodb.describe_table(TableName=table_name)["Table"]
        log.info("Table %s already exists", table_name)
        _protect(dynamodb, table, deletion_protection)
        _add_missing_indexes(dynamodb, table_name, table)
    except dynamodb.exceptions.ResourceNotFoundException:
        dynamodb.create_table(**table_definition(table_name), DeletionProtectionEnabled=deletion_protection)
        log.info("Created table %s", table_name)
    _settle(dynamodb, table_name, point_in_time_recovery)


def ensure_idempotency_table(
    dynamodb: DynamoDBClient,
    table_name: str,
    point_in_time_recovery: bool = False,
    deletion_protection: bool = False,
) -> None:
    """Creates the table where adds remember their Idempotency-Key unless it exists, waits until it
    is active, and has DynamoDB's TTL delete each record once it expires.

    Options as for the pets table: a deployed stage without this table could add no pet at all.
    """
    try:
        table = dynamodb.describe_table(TableName=table_name)["Table"]
        log.info("Table %s already exists", table_name)
        _protect(dynamodb, table, deletion_protection)
    except dynamodb.exceptions.ResourceNotFoundException:
        dynamodb.create_table(
            **idempotency_table_definition(table_name),
            SSESpecification=IDEMPOTENCY_TABLE_SSE,
            DeletionProtectionEnabled=deletion_protection,
        )
        log.info("Created table %s", table_name)
    _settle(dynamodb, table_name, point_in_time_recovery)
    ttl = dynamodb.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
    expiring = ttl.get("TimeToLiveStatus") in {"ENABLED", "ENABLING"}
    if not (expiring and ttl.get("AttributeName") == IDEMPOTENCY_EXPIRY):
        dynamodb.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": IDEMPOTENCY_EXPIRY},
        )


def _protect(dynamodb: DynamoDBClient, table: Mapping[str, Any], deletion_protection: bool) -> None:
    """Turns deletion protection on for an existing table that lacks it (never off)."""
    if deletion_protection and not table.get("DeletionProtectionEnabled", False):
        dynamodb.update_table(TableName=table["TableName"], DeletionProtectionEnabled=True)


def _settle(dynamodb: DynamoDBClient, table_name: str, point_in_time_recovery: bool) -> None:
    """Waits until the table is active, then turns point-in-time recovery on if asked."""
    dynamodb.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
    )
    if point_in_time_recovery:
        dynamodb.update_continuous_backups(
            TableName=table_name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )


def _add_missing_indexes(dynamodb: DynamoDBClient, table_name: str, table: Mapping[str, Any]) -> None:
    """Adds the indexes a newer version defines to an older table, one at a time as DynamoDB requires.

    Pets stored before need the new index keys too: ``python -m infra.deploy reindex`` writes them.
    """
    wanted = table_definition(table_name)
    present = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
    for index in wanted["GlobalSecondaryIndexes"]:
        if index["IndexName"] in present:
            continue
        keys = {key["AttributeName"] for key in index["KeySchema"]}
        log.info(
            "Adding index %s to table %s (this can take minutes on a large table)",
            index["IndexName"],
            table_name,
        )
        dynamodb.update_table(
            TableName=table_name,
            AttributeDefinitions=[a for a in wanted["AttributeDefinitions"] if a["AttributeName"] in keys],
            GlobalSecondaryIndexUpdates=[{"Create": index}],
        )
        _wait_until_active(dynamodb, table_name, index["IndexName"])


def _wait_until_active(
    dynamodb: DynamoDBClient, table_name: str, index_name: str, timeout: float = 3600
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        table = dynamodb.describe_table(TableName=table_name)["Table"]
        statuses = {i["IndexName"]: i.get("IndexStatus") for i in table.get("GlobalSecondaryIndexes", [])}
        if statuses.get(index_name) == "ACTIVE" and table["TableStatus"] == "ACTIVE":
            return
        time.sleep(INDEX_POLL_SECONDS)
    raise TimeoutError(f"index {index_name} of {table_name} is not active after {timeout:.0f} s")


def ensure_user_pool(
    cognito: CognitoIdentityProviderClient,
    pool_name: str,
    client_name: str,
    deletion_protection: bool = False,
) -> UserPool:
    """The user pool with optional two-step sign-in (authenticator apps), its public app client
    (USER_PASSWORD_AUTH and refresh) and the staff group; an existing pool gets the MFA settings too."""
    pool_id = _find_pool(cognito, pool_name)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=pool_name,
            DeletionProtection="ACTIVE" if deletion_protection else "INACTIVE",
            **USER_POOL_SETTINGS,
        )["UserPool"]["Id"]
        log.info("Created user pool %s (%s)", pool_name, pool_id)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration=MFA_CONFIGURATION,
    )
    arn = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    client_id = _ensure_client(cognito, pool_id, client_name)
    _ensure_group(cognito, pool_id, STAFF_GROUP)
    return UserPool(pool_id, arn, client_id)


def ensure_user(
    cognito: CognitoIdentityProviderClient,
    pool_id: str,
    username: str,
    password: str,
    groups: Iterable[str] = (),
) -> None:
    """A confirmed user with a permanent password, in ``groups``."""
    with contextlib.suppress(cognito.exceptions.UsernameExistsException):
        cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    for group in groups:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def _find_pool(cognito: CognitoIdentityProviderClient, pool_name: str) -> str | None:
    for page in cognito.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 60}):
        for pool in page["UserPools"]:
            if pool.get("Name") == pool_name:
                return pool["Id"]
    return None


def _find_client(cognito: CognitoIdentityProviderClient, pool_id: str, client_name: str) -> str | None:
    for page in cognito.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": 60}
    ):
        for client in page["UserPoolClients"]:
            if client.get("ClientName") == client_name:
                return client["ClientId"]
    return None


def _ensure_client(cognito: CognitoIdentityProviderClient, pool_id: str, client_name: str) -> str:
    """The app client with APP_CLIENT_SETTINGS: created, or an existing one brought up to date
    (token lifetimes, revocation); whether it has a secret cannot change after creation."""
    client_id = _find_client(cognito, pool_id, client_name)
    if client_id is None:
        created = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName=client_name, **APP_CLIENT_SETTINGS
        )
        log.info("Created app client %s", client_name)
        return created["UserPoolClient"]["ClientId"]
    updatable = {key: value for key, value in APP_CLIENT_SETTINGS.items() if key != "GenerateSecret"}
    cognito.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ClientName=client_name, **updatable
    )
    return client_id


def _ensure_group(cognito: CognitoIdentityProviderClient, pool_id: str, group: str) -> None:
    with contextlib.suppress(cognito.exceptions.GroupExistsException):
        cognito.create_group(UserPoolId=pool_id, GroupName=group, Description=STAFF_GROUP_DESCRIPTION)
