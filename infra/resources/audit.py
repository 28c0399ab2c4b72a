"""The audit trail: the API's JSON access log, the function's log, the account's API Gateway logging
role, and the key that encrypts both logs and the alarm notifications."""

from __future__ import annotations

import json
from typing import Any

from infra.resources.stage_config import function_name, retained

KEY = "AuditKey"
ACCESS_LOG_GROUP = "ApiAccessLogs"
ACCESS_LOG_RETENTION_DAYS = 365
FUNCTION_LOG_GROUP = "FunctionLogs"
# The access log is the record of who asked what and when, kept a year. The function's log says how
# each request was answered (which reader, the filters, DynamoDB's and Bedrock's errors): it serves
# debugging, and problems surface within days (the fallback alarm within a quarter of an hour). A
# quarter covers a couple of releases to compare; the metrics its lines carry stay in CloudWatch for
# 15 months whatever the log's retention; and it is several times the access log's size per request.
FUNCTION_LOG_RETENTION_DAYS = 90
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
    return _log_group_arn(access_log_group_name(stage))


def function_log_group_name(stage: str) -> str:
    """Where Lambda writes the function's log: the group must have this name to be used."""
    return f"/aws/lambda/{function_name(stage)}"


def _log_group_arn(name: str) -> str:
    # As CloudWatch Logs names the group in its encryption context (no `:*`), for Fn::Sub.
    return f"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{name}"


def audit_resources(stage: str) -> dict[str, Any]:
    """The key, the access log group, the function's log group, and API Gateway's account-wide
    CloudWatch role.

    The function's log group is made here, not by Lambda on the first invocation, so that it is
    encrypted and expires; the function must therefore not exist before it (the SAM template's
    APIHandler depends on it; a `chalice deploy` stage runs the bootstrap, which makes it, first).
    """
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
        FUNCTION_LOG_GROUP: {
            "Type": "AWS::Logs::LogGroup",
            **retained(stage),
            "Properties": {
                "LogGroupName": function_log_group_name(stage),
                "RetentionInDays": FUNCTION_LOG_RETENTION_DAYS,
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
            "Sid": "CloudWatchLogsEncryptTheStageLogs",
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
            # These two log groups only: the key encrypts nothing else of the account's.
            "Condition": {
                "ArnEquals": {
                    "kms:EncryptionContext:aws:logs:arn": [
                        {"Fn::Sub": _log_group_arn(name)}
                        for name in (access_log_group_name(stage), function_log_group_name(stage))
                    ]
                }
            },
        },
    ]
    return {
        "Type": "AWS::KMS::Key",
        **retained(stage),
        "Properties": {
            "Description": f"Encrypts the petstore {stage} logs and alarm notifications",
            "EnableKeyRotation": True,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": statements},
        },
    }
