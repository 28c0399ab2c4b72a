"""`chalice package` plus the merge template gives a valid SAM template wired to its own resources,
limited, logged and scanned."""

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.storage import (
    IDEMPOTENCY_EXPIRY,
    SORTED_INDEXES,
    idempotency_table_definition,
    table_definition,
)
from infra.resources import (
    ROOT,
    merge_template,
)
from tests.support.scanners import cfn_lint, checkov
from tests.support.templates import PAGE_ORIGIN

# Offline apart from PyPI (chalice fetches manylinux wheels for the zip); no AWS account is used.
pytestmark = pytest.mark.package
POOL_ARN = {"Fn::GetAtt": ["UserPool", "Arn"]}
# The checks the template does not follow on purpose, each with its reason in the template.
ACCEPTED_SKIPS = {
    ("CKV_AWS_120", "RestAPI"),  # API caching
    ("CKV_AWS_116", "APIHandler"),  # a dead-letter queue on a synchronous function
    ("CKV_AWS_117", "APIHandler"),  # a VPC
    ("CKV_AWS_173", "APIHandler"),  # a customer managed key for the environment
    ("CKV_AWS_119", "PetsTable"),  # a customer managed key for the table
    ("CKV_AWS_119", "IdempotencyTable"),  # a customer managed key for a day's records of adds
    ("CKV_AWS_149", "PageTokenSecret"),  # a customer managed key for the secret
    ("CKV_AWS_21", "PageBucket"),  # versions of a copy of frontend/
    ("CKV_AWS_18", "PageLogBucket"),  # the log bucket logging itself
    ("CKV_AWS_68", "PageDistribution"),  # a CloudFront web ACL for static files
    ("CKV_AWS_174", "PageDistribution"),  # TLS 1.2 on the default certificate
}


def test_cfn_lint_finds_nothing(built: tuple[Path, dict[str, Any]]) -> None:
    result = cfn_lint(built[0])
    assert result.returncode == 0, result.stdout + result.stderr
    assert (built[0].parent / "deployment.zip").stat().st_size > 1_000_000


def test_every_compiled_dependency_is_a_wheel_made_for_lambda(built: tuple[Path, dict[str, Any]]) -> None:
    # A dependency without a manylinux2014 wheel would be built here, for this machine's libc,
    # where Lambda's Python 3.11 runs on an older one; chalice would also take minutes to build it.
    with zipfile.ZipFile(built[0].parent / "deployment.zip") as archive:
        wheels = [name for name in archive.namelist() if name.endswith(".dist-info/WHEEL")]
        tags = {name: re.findall(r"^Tag: (\S+)$", archive.read(name).decode(), re.M) for name in wheels}
    assert any("rapidfuzz" in name for name in tags) and any("jellyfish" in name for name in tags)
    for name, found in tags.items():
        assert all(tag.endswith("-any") or "manylinux" in tag for tag in found), (name, found)


def test_checkov_fails_no_check_and_every_skip_says_why(built: tuple[Path, dict[str, Any]]) -> None:
    report = checkov(built[0])
    assert not report.failed, "checkov failed:\n" + report.describe_failures()
    skipped = {(check["check_id"], check["resource"].split(".")[-1]) for check in report.skipped}
    assert skipped == ACCEPTED_SKIPS and len(report.skipped) == len(ACCEPTED_SKIPS) == 11
    comments = [check["check_result"].get("suppress_comment", "") for check in report.skipped]
    assert all(len(comment) > 40 for comment in comments), comments
    # What the template now does rather than skips: tracing, access logs, concurrency, encryption.
    passed = {(check["check_id"], check["resource"].split(".")[-1]) for check in report.passed}
    assert {
        ("CKV_AWS_73", "RestAPI"),
        ("CKV_AWS_76", "RestAPI"),
        ("CKV_AWS_115", "APIHandler"),
        ("CKV_AWS_18", "PageBucket"),
        ("CKV_AWS_86", "PageDistribution"),
        ("CKV_AWS_26", "AlarmTopic"),
        ("CKV_AWS_158", "ApiAccessLogs"),
        ("CKV_AWS_158", "FunctionLogs"),
        ("CKV_AWS_66", "FunctionLogs"),
        ("CKV_AWS_28", "IdempotencyTable"),
        ("CKV_AWS_192", "ApiFirewall"),
    } <= passed


def test_every_resource_is_there(resources: dict[str, Any]) -> None:
    kinds = {name: resource["Type"] for name, resource in resources.items()}
    assert kinds == {
        "APIHandler": "AWS::Serverless::Function",
        "APIHandlerInvokePermission": "AWS::Lambda::Permission",
        "ApiHandlerRole": "AWS::IAM::Role",
        "RestAPI": "AWS::Serverless::Api",
        "PetsTable": "AWS::DynamoDB::Table",
        "IdempotencyTable": "AWS::DynamoDB::Table",
        "UserPool": "AWS::Cognito::UserPool",
        "UserPoolClient": "AWS::Cognito::UserPoolClient",
        "StaffGroup": "AWS::Cognito::UserPoolGroup",
        "AgentScopes": "AWS::Cognito::UserPoolResourceServer",
        "AgentClient": "AWS::Cognito::UserPoolClient",
        "UserPoolDomain": "AWS::Cognito::UserPoolDomain",
        "PageTokenSecret": "AWS::SecretsManager::Secret",
        "PageBucket": "AWS::S3::Bucket",
        "PageBucketPolicy": "AWS::S3::BucketPolicy",
        "PageLogBucket": "AWS::S3::Bucket",
        "PageLogBucketPolicy": "AWS::S3::BucketPolicy",
        "PageOriginAccessControl": "AWS::CloudFront::OriginAccessControl",
        "PageHeadersPolicy": "AWS::CloudFront::ResponseHeadersPolicy",
        "PageDistribution": "AWS::CloudFront::Distribution",
        "AuditKey": "AWS::KMS::Key",
        "AuditKeyAlias": "AWS::KMS::Alias",
        "ApiAccessLogs": "AWS::Logs::LogGroup",
        "FunctionLogs": "AWS::Logs::LogGroup",
        "ApiGatewayLoggingRole": "AWS::IAM::Role",
        "ApiGatewayAccount": "AWS::ApiGateway::Account",
        "AlarmTopic": "AWS::SNS::Topic",
        "FallbackRateAlarm": "AWS::CloudWatch::Alarm",
        "ApiFirewall": "AWS::WAFv2::WebACL",
        "ApiFirewallAssociation": "AWS::WAFv2::WebACLAssociation",
    }


def test_the_table_is_the_storage_definition_protected_in_prod(resources: dict[str, Any]) -> None:
    table = resources["PetsTable"]
    properties = table["Properties"]
    definition = table_definition("PetStore-prod")
    assert properties["GlobalSecondaryIndexes"] == definition["GlobalSecondaryIndexes"]
    assert len(properties["GlobalSecondaryIndexes"]) == len(SORTED_INDEXES) + 1 == 7
    assert (
        properties["KeySchema"] == definition["KeySchema"] and properties["BillingMode"] == "PAY_PER_REQUEST"
    )
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert resources["UserPool"]["Properties"]["DeletionProtection"] == "ACTIVE"


def test_the_idempotency_table_expires_its_records_and_is_protected_in_prod(
    resources: dict[str, Any],
) -> None:
    table = resources["IdempotencyTable"]
    properties = table["Properties"]
    definition = idempotency_table_definition("PetStore-prod-idempotency")
    assert {key: properties[key] for key in definition} == definition
    assert properties["TimeToLiveSpecification"] == {"AttributeName": IDEMPOTENCY_EXPIRY, "Enabled": True}
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_dev_is_not_deletion_protected() -> None:
    dev = merge_template("dev")["Resources"]
    for name in ("PetsTable", "IdempotencyTable"):
        assert dev[name]["Properties"]["DeletionProtectionEnabled"] is False
        assert dev[name]["DeletionPolicy"] == "Delete"
        assert dev[name]["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]


def test_the_pool_client_and_group(resources: dict[str, Any]) -> None:
    policy = resources["UserPool"]["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 12 and policy["RequireSymbols"]
    client = resources["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False and client["UserPoolId"] == {"Ref": "UserPool"}
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    # Logging out revokes the refresh token, which lives hours, not the 30 days of Cognito's default.
    assert client["EnableTokenRevocation"] is True
    assert (
        client["TokenValidityUnits"]["RefreshToken"] == "hours" and 1 <= client["RefreshTokenValidity"] <= 72
    )
    assert resources["StaffGroup"]["Properties"]["GroupName"] == "staff"


def test_agents_get_a_client_credentials_client_for_their_scope(resources: dict[str, Any]) -> None:
    server = resources["AgentScopes"]["Properties"]
    scopes = [f"{server['Identifier']}/{scope['ScopeName']}" for scope in server["Scopes"]]
    assert scopes == ["petstore/agent"]
    client = resources["AgentClient"]["Properties"]
    assert client["GenerateSecret"] is True and client["AllowedOAuthFlows"] == ["client_credentials"]
    assert client["AllowedOAuthScopes"] == scopes and "ExplicitAuthFlows" not in client


def test_the_function_and_the_authorizer_point_at_this_stack(resources: dict[str, Any]) -> None:
    function = resources["APIHandler"]["Properties"]
    env = function["Environment"]["Variables"]
    assert env["USER_POOL_ARN"] == POOL_ARN and env["USER_POOL_ID"] == {"Ref": "UserPool"}
    assert env["APP_CLIENT_ID"] == {"Ref": "UserPoolClient"} and env["TABLE_NAME"] == {"Ref": "PetsTable"}
    assert env["IDEMPOTENCY_TABLE_NAME"] == {"Ref": "IdempotencyTable"}
    assert env["PAGE_TOKEN_SECRET_ID"] == {"Ref": "PageTokenSecret"} and "PAGE_TOKEN_SECRET" not in env
    assert env["CORS_ORIGIN"] == {"Fn::Sub": "https://${PageDistribution.DomainName}"}
    assert function["Tracing"] == "Active" and function["FunctionName"] == "petstore-prod"
    # API Gateway gives up at 29 s; the function must answer (fallback included) before then.
    assert function["Timeout"] < 29 and function["MemorySize"] >= 256
    body = resources["RestAPI"]["Properties"]["DefinitionBody"]
    authorizer = body["securityDefinitions"]["PetStoreUsers"]["x-amazon-apigateway-authorizer"]
    assert authorizer["providerARNs"] == [POOL_ARN]


def test_cors_reaches_preflight_and_gateway_errors(api: dict[str, Any]) -> None:
    body = api["DefinitionBody"]
    preflights = [
        response["responseParameters"]
        for methods in body["paths"].values()
        for response in methods["options"]["x-amazon-apigateway-integration"]["responses"].values()
    ]
    assert preflights and all(
        preflight["method.response.header.Access-Control-Allow-Origin"] == PAGE_ORIGIN
        for preflight in preflights
    )
    # What chalice's preflight answers allow, API Gateway's own answers allow too.
    (allowed,) = {
        preflight["method.response.header.Access-Control-Allow-Headers"] for preflight in preflights
    }
    assert "Idempotency-Key" in allowed
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"):
        headers = body["x-amazon-apigateway-gateway-responses"][kind]["responseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == PAGE_ORIGIN
        assert headers["gatewayresponse.header.Access-Control-Allow-Headers"] == allowed


def test_the_page_bucket_is_private_and_read_only_by_the_distribution(resources: dict[str, Any]) -> None:
    block = resources["PageBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    (statement,) = resources["PageBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert (
        statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        and statement["Action"] == "s3:GetObject"
    )
    assert "${PageDistribution}" in statement["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    (origin,) = resources["PageDistribution"]["Properties"]["DistributionConfig"]["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["PageOriginAccessControl", "Id"]}


def test_the_alarm_watches_the_fallback_rate_the_app_reports(resources: dict[str, Any]) -> None:
    alarm = resources["FallbackRateAlarm"]["Properties"]
    stats = {m["Id"]: m["MetricStat"] for m in alarm["Metrics"] if "MetricStat" in m}
    metric = stats["rate"]["Metric"]
    assert (metric["Namespace"], metric["MetricName"]) == ("PetStore", "Fallbacks")
    assert metric["Dimensions"] == [{"Name": "service", "Value": "petstore-prod"}]
    assert stats["rate"]["Stat"] == "Average" and 0 < alarm["Threshold"] < 1
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_the_role_is_the_policy_file_in_this_account(resources: dict[str, Any]) -> None:
    (policy,) = resources["ApiHandlerRole"]["Properties"]["Policies"]
    written = json.loads((ROOT / ".chalice" / "policy-prod.json").read_text())
    statements = policy["PolicyDocument"]["Statement"]
    assert [s["Action"] for s in statements] == [s["Action"] for s in written["Statement"]]
    arn = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/"
    tables = {statement["Sid"]: statement["Resource"] for statement in statements}
    assert tables["PetsTable"] == [{"Fn::Sub": f"{arn}PetStore-prod"}]
    # The name the role allows is the table's own: the template names the table, not CloudFormation.
    table_name = resources["IdempotencyTable"]["Properties"]["TableName"]
    assert tables["IdempotencyTable"] == [{"Fn::Sub": f"{arn}{table_name}"}]


def test_people_need_id_tokens_and_agents_the_agents_scope(api: dict[str, Any]) -> None:
    paths = api["DefinitionBody"]["paths"]
    scopes = {
        (path, method): [
            scope for requirement in operation["security"] for scope in requirement["PetStoreUsers"]
        ]
        for path, item in paths.items()
        for method, operation in item.items()
        if method != "options"
    }
    assert {key: value for key, value in scopes.items() if key[0].startswith("/agent/")} == {
        ("/agent/pets", "get"): ["petstore/agent"],
        ("/agent/pets/{petId}", "get"): ["petstore/agent"],
        ("/agent/pets/query", "post"): ["petstore/agent"],
    }
    assert all(value == [] for key, value in scopes.items() if not key[0].startswith("/agent/"))
