"""The packaged template protects the API and leaves a trail: throttling, a web ACL, reserved
concurrency, 429s in the API's shape, access logs, the page's headers, encrypted alarms."""

import json
from typing import Any

import pytest

from infra.page_headers import LOCAL_CSP
from infra.resources import (
    ACCESS_LOG_FIELDS,
    FUNCTION_LOG_RETENTION_DAYS,
    SECURITY_HEADERS,
    TOO_MANY_REQUESTS,
    ApiLimits,
    access_log_group_name,
    function_log_group_name,
    stage_setting,
)
from tests.support.templates import PAGE_ORIGIN, csp_directives

# Offline apart from PyPI (chalice fetches manylinux wheels for the zip); no AWS account is used.
pytestmark = pytest.mark.package


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


def test_the_function_logs_into_its_own_encrypted_expiring_group(resources: dict[str, Any]) -> None:
    group = resources["FunctionLogs"]
    function = resources["APIHandler"]
    # Lambda writes to /aws/lambda/<function name>, and makes that group itself if it finds none.
    assert group["Properties"]["LogGroupName"] == f"/aws/lambda/{function['Properties']['FunctionName']}"
    assert group["Properties"]["LogGroupName"] == function_log_group_name("prod")
    assert "FunctionLogs" in function["DependsOn"]
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["AuditKey", "Arn"]}
    assert group["Properties"]["RetentionInDays"] == FUNCTION_LOG_RETENTION_DAYS
    assert group["DeletionPolicy"] == group["UpdateReplacePolicy"] == "Retain"


def test_cloudwatch_logs_may_use_the_key_for_the_stage_log_groups_only(resources: dict[str, Any]) -> None:
    (logs,) = [
        statement
        for statement in resources["AuditKey"]["Properties"]["KeyPolicy"]["Statement"]
        if statement["Principal"] == {"Service": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}}
    ]
    groups = [arn["Fn::Sub"] for arn in logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]]
    assert [arn.split(":log-group:")[1] for arn in groups] == [
        access_log_group_name("prod"),
        function_log_group_name("prod"),
    ]


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
