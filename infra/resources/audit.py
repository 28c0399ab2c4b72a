"""The audit trail: the API's JSON access log, the account's API Gateway logging role, and the key
that encrypts the access log and the alarm notifications."""

from __future__ import annotations

import json
from typing import Any

from infra.resources.settings import retained

KEY = "AuditKey"
ACCESS_LOG_GROUP = "ApiAccessLogs"
ACCESS_LOG_RETENTION_DAYS = 365
# One JSON object per request. `requestId` is what the function logs as `api_request_id`;
# `user` is the person's Cognito username, `client` the app client of an agent's access token.
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "extendedRequestId": "$context.extendedRequestId",
    "time": "$context.requestTime",
    "ip": "$context.identity.sourceIp",
    "user": "$context.authorizer.claims['cognito:username']",
    "client": "$context.authorizer.claims.client_id",
    "method": "$context.httpMethod",
    "path": "$context.resourcePath",
    "status": "$context.status",
    "error": "$context.error.responseType",
    "waf": "$context.wafResponseCode",
    "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integrationLatency",
    "responseLength": "$context.responseLength",
    "userAgent": "$context.identity.userAgent",
    "xrayTraceId": "$context.xrayTraceId",
}
ACCESS_LOG_FORMAT = json.dumps(ACCESS_LOG_FIELDS, separators=(",", ":"))
# API Gateway writes to CloudWatch Logs with one role per account and region.
PUSH_TO_CLOUDWATCH = "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"


def access_log_group_name(stage: str) -> str:
    return f"/aws/apigateway/petstore-{stage}/access"


def access_log_group_arn(stage: str) -> str:
    """The log group's ARN as API Gateway takes it (no `:*`), for Fn::Sub."""
    account = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
    return f"{account}:log-group:{access_log_group_name(stage)}"


def audit_resources(stage: str) -> dict[str, Any]:
    """The key, the access log group, and API Gateway's account-wide CloudWatch role."""
    return {
        KEY: _key(stage),
        f"{KEY}Alias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": f"alias/petstore-{stage}-audit", "TargetKeyId": {"Ref": KEY}},
        },
        ACCESS_LOG_GROUP: {
            "Type": "AWS::Logs::LogGroup",
            **retained(stage),
            "Properties": {
                "LogGroupName": access_log_group_name(stage),
                "RetentionInDays": ACCESS_LOG_RETENTION_DAYS,
                "KmsKeyId": {"Fn::GetAtt": [KEY, "Arn"]},
            },
        },
        **api_gateway_logging_role(),
    }


def api_gateway_logging_role() -> dict[str, Any]:
    """The role API Gateway logs with, set for the account and region (AWS::ApiGateway::Account).

    Both are retained: the setting serves every API of the account in the region, and would point
    at a deleted role if the stack took the role with it.
    """
    keep = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    role = {
        "Type": "AWS::IAM::Role",
        **keep,
        "Properties": {
            "Description": "Lets API Gateway write the access logs of this account's APIs",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "apigateway.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "ManagedPolicyArns": [{"Fn::Sub": PUSH_TO_CLOUDWATCH}],
        },
    }
    account = {
        "Type": "AWS::ApiGateway::Account",
        **keep,
        "Properties": {"CloudWatchRoleArn": {"Fn::GetAtt": ["ApiGatewayLoggingRole", "Arn"]}},
    }
    return {"ApiGatewayLoggingRole": role, "ApiGatewayAccount": account}


def _key(stage: str) -> dict[str, Any]:
    statements = [
        {
            "Sid": "TheAccountAdministersTheKey",
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            # Alarms publish to the encrypted topic as CloudWatch, which needs the key for that.
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
        },
        {
            "Sid": "CloudWatchLogsEncryptTheAccessLog",
            "Effect": "Allow",
            "Principal": {"Service": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}},
            "Action": [
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            "Resource": "*",
            "Condition": {
                "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": {"Fn::Sub": access_log_group_arn(stage)}}
            },
        },
    ]
    return {
        "Type": "AWS::KMS::Key",
        **retained(stage),
        "Properties": {
            "Description": f"Encrypts the petstore {stage} access log and alarm notifications",
            "EnableKeyRotation": True,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": statements},
        },
    }
