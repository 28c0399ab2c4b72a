"""`chalice package` plus the merge template gives a valid SAM template wired to its own resources."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.storage import SORTED_INDEXES, table_definition
from infra.deploy import package
from infra.resources import ROOT, merge_template

# Offline apart from PyPI (chalice fetches manylinux wheels for the zip); no AWS account is used.
pytestmark = pytest.mark.package
POOL_ARN = {"Fn::GetAtt": ["UserPool", "Arn"]}
PAGE_ORIGIN = {"Fn::Sub": "'https://${PageDistribution.DomainName}'"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    template_file = package("prod", tmp_path_factory.mktemp("prod"))
    yield template_file, json.loads(template_file.read_text())


@pytest.fixture(scope="module")
def resources(built: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return built[1]["Resources"]


def test_cfn_lint_finds_nothing(built: tuple[Path, dict[str, Any]]) -> None:
    lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(lint), str(built[0])], capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr
    assert (built[0].parent / "deployment.zip").stat().st_size > 1_000_000


def test_every_resource_is_there(resources: dict[str, Any]) -> None:
    kinds = {name: resource["Type"] for name, resource in resources.items()}
    assert kinds == {
        "APIHandler": "AWS::Serverless::Function",
        "APIHandlerInvokePermission": "AWS::Lambda::Permission",
        "ApiHandlerRole": "AWS::IAM::Role",
        "RestAPI": "AWS::Serverless::Api",
        "PetsTable": "AWS::DynamoDB::Table",
        "UserPool": "AWS::Cognito::UserPool",
        "UserPoolClient": "AWS::Cognito::UserPoolClient",
        "StaffGroup": "AWS::Cognito::UserPoolGroup",
        "AgentScopes": "AWS::Cognito::UserPoolResourceServer",
        "AgentClient": "AWS::Cognito::UserPoolClient",
        "UserPoolDomain": "AWS::Cognito::UserPoolDomain",
        "PageTokenSecret": "AWS::SecretsManager::Secret",
        "PageBucket": "AWS::S3::Bucket",
        "PageBucketPolicy": "AWS::S3::BucketPolicy",
        "PageOriginAccessControl": "AWS::CloudFront::OriginAccessControl",
        "PageDistribution": "AWS::CloudFront::Distribution",
        "AlarmTopic": "AWS::SNS::Topic",
        "FallbackRateAlarm": "AWS::CloudWatch::Alarm",
    }


def test_the_table_is_the_storage_definition_protected_in_prod(resources: dict[str, Any]) -> None:
    table = resources["PetsTable"]
    properties = table["Properties"]
    definition = table_definition("PetStore-prod")
    assert properties["GlobalSecondaryIndexes"] == definition["GlobalSecondaryIndexes"]
    assert len(properties["GlobalSecondaryIndexes"]) == len(SORTED_INDEXES) + 1 == 5
    assert (
        properties["KeySchema"] == definition["KeySchema"] and properties["BillingMode"] == "PAY_PER_REQUEST"
    )
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert resources["UserPool"]["Properties"]["DeletionProtection"] == "ACTIVE"


def test_dev_is_not_deletion_protected() -> None:
    dev = merge_template("dev")["Resources"]
    assert dev["PetsTable"]["Properties"]["DeletionProtectionEnabled"] is False
    assert dev["PetsTable"]["DeletionPolicy"] == "Delete"
    assert dev["PetsTable"]["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]


def test_the_pool_client_and_group(resources: dict[str, Any]) -> None:
    policy = resources["UserPool"]["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 12 and policy["RequireSymbols"]
    client = resources["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False and client["UserPoolId"] == {"Ref": "UserPool"}
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
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
    assert env["PAGE_TOKEN_SECRET_ID"] == {"Ref": "PageTokenSecret"} and "PAGE_TOKEN_SECRET" not in env
    assert env["CORS_ORIGIN"] == {"Fn::Sub": "https://${PageDistribution.DomainName}"}
    assert function["Tracing"] == "Active" and function["FunctionName"] == "petstore-prod"
    # API Gateway gives up at 29 s; the function must answer (fallback included) before then.
    assert function["Timeout"] < 29 and function["MemorySize"] >= 256
    body = resources["RestAPI"]["Properties"]["DefinitionBody"]
    authorizer = body["securityDefinitions"]["PetStoreUsers"]["x-amazon-apigateway-authorizer"]
    assert authorizer["providerARNs"] == [POOL_ARN]


def test_cors_reaches_preflight_and_gateway_errors(resources: dict[str, Any]) -> None:
    body = resources["RestAPI"]["Properties"]["DefinitionBody"]
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        headers = body["x-amazon-apigateway-gateway-responses"][kind]["responseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == PAGE_ORIGIN
        assert "Authorization" in headers["gatewayresponse.header.Access-Control-Allow-Headers"]
    preflights = [
        response["responseParameters"]["method.response.header.Access-Control-Allow-Origin"]
        for methods in body["paths"].values()
        for response in methods["options"]["x-amazon-apigateway-integration"]["responses"].values()
    ]
    assert preflights and all(origin == PAGE_ORIGIN for origin in preflights)


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
    table = statements[0]["Resource"]
    assert table == [
        {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/PetStore-prod"}
    ]


def test_people_need_id_tokens_and_agents_the_agents_scope(resources: dict[str, Any]) -> None:
    paths = resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
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
