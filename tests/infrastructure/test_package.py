"""`chalice package` plus the merge template gives a valid SAM template wired to its own resources,
limited, logged and scanned."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.storage import SORTED_INDEXES, table_definition
from infra.deploy import package
from infra.page_headers import LOCAL_CSP
from infra.resources import (
    ACCESS_LOG_FIELDS,
    ROOT,
    SECURITY_HEADERS,
    TOO_MANY_REQUESTS,
    ApiLimits,
    access_log_group_name,
    merge_template,
    stage_setting,
)
from tests.support.scanners import cfn_lint, checkov
from tests.support.templates import csp_directives

# Offline apart from PyPI (chalice fetches manylinux wheels for the zip); no AWS account is used.
pytestmark = pytest.mark.package
POOL_ARN = {"Fn::GetAtt": ["UserPool", "Arn"]}
PAGE_ORIGIN = {"Fn::Sub": "'https://${PageDistribution.DomainName}'"}
# The checks the template does not follow on purpose, each with its reason in the template.
ACCEPTED_SKIPS = {
    ("CKV_AWS_120", "RestAPI"),  # API caching
    ("CKV_AWS_116", "APIHandler"),  # a dead-letter queue on a synchronous function
    ("CKV_AWS_117", "APIHandler"),  # a VPC
    ("CKV_AWS_173", "APIHandler"),  # a customer managed key for the environment
    ("CKV_AWS_119", "PetsTable"),  # a customer managed key for the table
    ("CKV_AWS_149", "PageTokenSecret"),  # a customer managed key for the secret
    ("CKV_AWS_21", "PageBucket"),  # versions of a copy of frontend/
    ("CKV_AWS_18", "PageLogBucket"),  # the log bucket logging itself
    ("CKV_AWS_68", "PageDistribution"),  # a CloudFront web ACL for static files
    ("CKV_AWS_174", "PageDistribution"),  # TLS 1.2 on the default certificate
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    template_file = package("prod", tmp_path_factory.mktemp("prod"))
    yield template_file, json.loads(template_file.read_text())


@pytest.fixture(scope="module")
def resources(built: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return built[1]["Resources"]


@pytest.fixture(scope="module")
def api(resources: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = resources["RestAPI"]["Properties"]
    return properties


def test_cfn_lint_finds_nothing(built: tuple[Path, dict[str, Any]]) -> None:
    result = cfn_lint(built[0])
    assert result.returncode == 0, result.stdout + result.stderr
    assert (built[0].parent / "deployment.zip").stat().st_size > 1_000_000


def test_checkov_fails_no_check_and_every_skip_says_why(built: tuple[Path, dict[str, Any]]) -> None:
    report = checkov(built[0])
    assert not report.failed, "checkov failed:\n" + report.describe_failures()
    skipped = {(check["check_id"], check["resource"].split(".")[-1]) for check in report.skipped}
    assert skipped == ACCEPTED_SKIPS
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
        "ApiGatewayLoggingRole": "AWS::IAM::Role",
        "ApiGatewayAccount": "AWS::ApiGateway::Account",
        "AlarmTopic": "AWS::SNS::Topic",
        "FallbackRateAlarm": "AWS::CloudWatch::Alarm",
        "ApiFirewall": "AWS::WAFv2::WebACL",
        "ApiFirewallAssociation": "AWS::WAFv2::WebACLAssociation",
    }


def test_the_stage_is_throttled_as_configured(api: dict[str, Any]) -> None:
    limits = ApiLimits.for_stage("prod")
    assert api["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": limits.rate_limit,
            "ThrottlingBurstLimit": limits.burst_limit,
        }
    ]


def test_the_function_has_its_reserved_concurrency(resources: dict[str, Any]) -> None:
    reserved = resources["APIHandler"]["Properties"]["ReservedConcurrentExecutions"]
    assert reserved == stage_setting("prod", "reserved_concurrency") and reserved > 0


def test_the_web_acl_limits_each_token_and_each_address(resources: dict[str, Any]) -> None:
    acl = resources["ApiFirewall"]["Properties"]
    limits = ApiLimits.for_stage("prod")
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    per_token = rules["PerAuthorizationHeader"]["Statement"]["RateBasedStatement"]
    assert per_token["AggregateKeyType"] == "CUSTOM_KEYS"
    assert [key["Header"]["Name"].lower() for key in per_token["CustomKeys"]] == ["authorization"]
    assert per_token["Limit"] == limits.waf_per_authorization
    per_ip = rules["PerIp"]["Statement"]["RateBasedStatement"]
    assert per_ip["AggregateKeyType"] == "IP" and per_ip["Limit"] == limits.waf_per_ip
    assert per_token["EvaluationWindowSec"] == per_ip["EvaluationWindowSec"] == limits.waf_window_seconds
    assert len({rule["Priority"] for rule in acl["Rules"]}) == len(acl["Rules"])
    managed = rules["KnownBadInputs"]["Statement"]["ManagedRuleGroupStatement"]
    assert managed["Name"] == "AWSManagedRulesKnownBadInputsRuleSet"


@pytest.mark.parametrize("rule", ["PerAuthorizationHeader", "PerIp"])
def test_a_blocked_caller_gets_429_in_the_api_shape_with_cors(resources: dict[str, Any], rule: str) -> None:
    acl = resources["ApiFirewall"]["Properties"]
    (blocking,) = [each for each in acl["Rules"] if each["Name"] == rule]
    response = blocking["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    body = acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    assert body["ContentType"] == "APPLICATION_JSON" and json.loads(body["Content"]) == TOO_MANY_REQUESTS
    headers = {header["Name"]: header["Value"] for header in response["ResponseHeaders"]}
    assert headers["Access-Control-Allow-Origin"] == {"Fn::Sub": "https://${PageDistribution.DomainName}"}
    assert int(headers["Retry-After"]) > 0


def test_the_web_acl_is_in_front_of_this_api_stage(resources: dict[str, Any]) -> None:
    association = resources["ApiFirewallAssociation"]["Properties"]
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiFirewall", "Arn"]}
    apigateway = "arn:${AWS::Partition}:apigateway:${AWS::Region}"
    assert association["ResourceArn"] == {
        "Fn::Sub": f"{apigateway}::/restapis/${{RestAPI}}/stages/${{RestAPI.Stage}}"
    }


def test_throttling_answers_429_in_the_api_shape_with_cors(api: dict[str, Any]) -> None:
    throttled = api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]["THROTTLED"]
    assert throttled["statusCode"] == "429"
    assert (
        throttled["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == PAGE_ORIGIN
    )
    assert json.loads(throttled["responseTemplates"]["application/json"]) == TOO_MANY_REQUESTS


def test_the_access_log_says_who_called_and_which_request(
    resources: dict[str, Any], api: dict[str, Any]
) -> None:
    setting = api["AccessLogSetting"]
    assert setting["DestinationArn"]["Fn::Sub"].endswith(f":log-group:{access_log_group_name('prod')}")
    fields = json.loads(setting["Format"])
    assert fields == ACCESS_LOG_FIELDS
    assert fields["user"] == "$context.authorizer.claims['cognito:username']"
    assert fields["requestId"] == "$context.requestId"
    assert api["TracingEnabled"] is True
    # API Gateway writes logs only once the account has its logging role.
    assert "ApiGatewayAccount" in resources["RestAPI"]["DependsOn"]
    group = resources["ApiAccessLogs"]
    assert group["Properties"]["LogGroupName"] == access_log_group_name("prod")
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["AuditKey", "Arn"]}
    assert group["DeletionPolicy"] == "Retain" and group["Properties"]["RetentionInDays"] >= 365


def test_the_page_gets_its_csp_and_security_headers(resources: dict[str, Any]) -> None:
    behavior = resources["PageDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": "PageHeadersPolicy"}
    config = resources["PageHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]
    csp = csp_directives(config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"])
    local = csp_directives(LOCAL_CSP)
    assert {k: v for k, v in csp.items() if k != "connect-src"} == {
        k: v for k, v in local.items() if k != "connect-src"
    }
    assert csp["connect-src"] == [
        "'self'",
        "https://*.execute-api.${AWS::Region}.${AWS::URLSuffix}",
        "https://cognito-idp.${AWS::Region}.amazonaws.com",
    ]
    # What CloudFront's managed SecurityHeadersPolicy sent before, still sent.
    assert {name: config[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert config["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31_536_000
    assert config["ContentTypeOptions"]["Override"] and config["FrameOptions"]["FrameOption"] == "DENY"


def test_cloudfront_and_the_page_bucket_log_to_the_log_bucket(resources: dict[str, Any]) -> None:
    logging = resources["PageDistribution"]["Properties"]["DistributionConfig"]["Logging"]
    assert logging["Bucket"] == {"Fn::GetAtt": ["PageLogBucket", "DomainName"]}
    bucket_logging = resources["PageBucket"]["Properties"]["LoggingConfiguration"]
    assert bucket_logging["DestinationBucketName"] == {"Ref": "PageLogBucket"}
    log_bucket = resources["PageLogBucket"]
    # CloudFront's standard logs need ACLs on the bucket; the owner still owns every object.
    assert log_bucket["Properties"]["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "BucketOwnerPreferred"}
    ]
    assert all(log_bucket["Properties"]["PublicAccessBlockConfiguration"].values())
    assert log_bucket["DeletionPolicy"] == "Retain"
    (statement,) = resources["PageLogBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert statement["Resource"]["Fn::Sub"].endswith(f"/{bucket_logging['LogFilePrefix']}*")
    assert logging["Prefix"] != bucket_logging["LogFilePrefix"]


def test_the_alarm_topic_is_encrypted_with_a_key_alarms_may_use(resources: dict[str, Any]) -> None:
    assert resources["AlarmTopic"]["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": ["AuditKey", "Arn"]}
    key = resources["AuditKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    by_service = {
        json.dumps(statement["Principal"].get("Service")): statement
        for statement in key["KeyPolicy"]["Statement"]
        if "Service" in statement["Principal"]
    }
    alarms = by_service['"cloudwatch.amazonaws.com"']
    assert set(alarms["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}


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
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"):
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
