"""What a stage keeps: the pets table, the idempotency table, the user pool with its clients and
group, the page-token secret."""

from __future__ import annotations

import copy
from typing import Any

from chalicelib.adapters.auth import AGENT_SCOPE, STAFF_GROUP
from chalicelib.adapters.storage import IDEMPOTENCY_EXPIRY, idempotency_table_definition, table_definition
from infra.bootstrap import (
    APP_CLIENT_SETTINGS,
    ENABLED_MFAS,
    IDEMPOTENCY_TABLE_SSE,
    MFA_CONFIGURATION,
    SIGNING_KEY_DESCRIPTION,
    STAFF_GROUP_DESCRIPTION,
    USER_POOL_SETTINGS,
)
from infra.resources.checkov import skipped
from infra.resources.stage_config import idempotency_table, protected, retained, stage_environment

IDEMPOTENCY_TABLE = "IdempotencyTable"


def table_resource(stage: str) -> dict[str, Any]:
    """AWS::DynamoDB::Table from chalicelib.storage.table_definition: CreateTable's names are CFN's."""
    return _kept_table(
        stage,
        table_definition(stage_environment(stage)["TABLE_NAME"]),
        "The table holds the shop's catalogue, which every signed-in user may read; DynamoDB "
        "encrypts it at rest with an AWS owned key. A customer managed key would add cost and a "
        "key that, deleted by mistake, makes the table unreadable, and protect no secret.",
    )


def idempotency_table_resource(stage: str) -> dict[str, Any]:
    """Where adds remember their Idempotency-Key: chalicelib.storage.idempotency_table_definition,
    with DynamoDB's TTL deleting each record once it expires, encrypted as the bootstrap makes it.

    Deletion-protected and retained in prod like the pets table: while the stage runs, no pet can be
    added without it; and CloudFormation cannot delete a protected table, so a deleted stack leaves it
    behind (empty within days, since every record expires a day after its add) to delete on purpose.
    """
    properties = idempotency_table_definition(idempotency_table(stage))
    properties["TimeToLiveSpecification"] = {"AttributeName": IDEMPOTENCY_EXPIRY, "Enabled": True}
    properties["SSESpecification"] = {
        "SSEEnabled": IDEMPOTENCY_TABLE_SSE["Enabled"],
        "SSEType": IDEMPOTENCY_TABLE_SSE["SSEType"],
    }
    return _kept_table(
        stage,
        properties,
        "Each record holds a hash of an add's key and body, its status and the pet that add "
        "stored, which every signed-in user may read, and expires a day later. It is encrypted "
        "with the account's AWS managed key (aws/dynamodb); a customer managed key would add "
        "cost and a key policy to keep in step with the function's role, and protect no secret.",
    )


def _kept_table(stage: str, properties: dict[str, Any], why_no_customer_key: str) -> dict[str, Any]:
    """A table with point-in-time recovery, protected and retained where the stage keeps its data."""
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["DeletionProtectionEnabled"] = protected(stage)
    return {
        "Type": "AWS::DynamoDB::Table",
        **retained(stage),
        "Metadata": skipped({"CKV_AWS_119": why_no_customer_key}),
        "Properties": properties,
    }


def user_pool_resources(stage: str) -> dict[str, Any]:
    pool = {
        "Type": "AWS::Cognito::UserPool",
        **retained(stage),
        "Properties": {
            "UserPoolName": f"petstore-{stage}",
            "DeletionProtection": "ACTIVE" if protected(stage) else "INACTIVE",
            **copy.deepcopy(USER_POOL_SETTINGS),
            "MfaConfiguration": MFA_CONFIGURATION,
            "EnabledMfas": list(ENABLED_MFAS),
        },
    }
    client = {
        "Type": "AWS::Cognito::UserPoolClient",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "ClientName": "web",
            **copy.deepcopy(APP_CLIENT_SETTINGS),
        },
    }
    group = {
        "Type": "AWS::Cognito::UserPoolGroup",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "GroupName": STAFF_GROUP,
            "Description": STAFF_GROUP_DESCRIPTION,
        },
    }
    return {"UserPool": pool, "UserPoolClient": client, "StaffGroup": group, **agent_access_resources(stage)}


def agent_access_resources(stage: str) -> dict[str, Any]:
    """What AI agents (an AgentCore Gateway) sign in with: the agents' OAuth scope, a confidential
    client allowed only client credentials for it, and the pool domain serving /oauth2/token."""
    server, scope = AGENT_SCOPE.split("/")
    resource_server = {
        "Type": "AWS::Cognito::UserPoolResourceServer",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "Identifier": server,
            "Name": "Pet store API",
            "Scopes": [{"ScopeName": scope, "ScopeDescription": "Browse and ask about pets (no writes)"}],
        },
    }
    agent_client = {
        "Type": "AWS::Cognito::UserPoolClient",
        "DependsOn": "AgentScopes",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "ClientName": "agents",
            "GenerateSecret": True,
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": [AGENT_SCOPE],
            "SupportedIdentityProviders": ["COGNITO"],
            "AccessTokenValidity": 60,
            "TokenValidityUnits": {"AccessToken": "minutes"},
        },
    }
    domain = {
        "Type": "AWS::Cognito::UserPoolDomain",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "Domain": {"Fn::Sub": f"petstore-{stage}-${{AWS::AccountId}}"},
        },
    }
    return {"AgentScopes": resource_server, "AgentClient": agent_client, "UserPoolDomain": domain}


def secret_resource(stage: str) -> dict[str, Any]:
    """The page-token signing key: generated by Secrets Manager, never seen by the deployer."""
    reasons = {
        "CKV_AWS_149": (
            "Encrypted with the account's aws/secretsmanager key; only the function's role may read it "
            "(policy-<stage>.json names this secret alone). A customer managed key would add a key "
            "policy to keep in step with that role and protect nothing more: the secret only signs "
            "page tokens."
        )
    }
    return {
        "Type": "AWS::SecretsManager::Secret",
        "Metadata": skipped(reasons),
        "Properties": {
            "Name": stage_environment(stage)["PAGE_TOKEN_SECRET_ID"],
            "Description": SIGNING_KEY_DESCRIPTION,
            "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True},
        },
    }
