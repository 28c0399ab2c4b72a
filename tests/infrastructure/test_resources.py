"""The templates' parts without packaging: stage limits, the web ACL and headers policy as the AWS APIs
take them, the `chalice deploy` stage's stack, and the one CSP the local and deployed pages share."""

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.stub import Stubber
from chalice.config import Config

from chalicelib.adapters.stage_settings import Settings
from infra.page_headers import LOCAL_CSP, LOOPBACK_SOURCES
from infra.resources import (
    ACCESS_LOG_FORMAT,
    API_DEPLOYED,
    CHALICE_CONFIG,
    TOO_MANY_REQUESTS,
    ApiLimits,
    SettingsError,
    deployed_csp,
    gateway_responses,
    idempotency_table,
    merge_template,
    stage_environment,
    web_stack_template,
)
from localdev import stack
from tests.support.scanners import cfn_lint, checkov
from tests.support.templates import csp_directives, resolved

DEPLOYED_STAGES = ["dev", "prod"]
# The README's figure for a question answered through Bedrock: how long one request holds a function.
TYPICAL_QUESTION_SECONDS = 1.5
NAMES = {
    "AWS::Region": "us-east-1",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::Partition": "aws",
    "AWS::AccountId": "123456789012",
    "AWS::StackName": "petstore-prod",
    "PageDistribution.DomainName": "d111.cloudfront.net",
    "RestApiId": "abc123",
}
GOOD_LIMITS = {
    "rate_limit": 20,
    "burst_limit": 40,
    "waf_window_seconds": 60,
    "waf_per_ip": 300,
    "waf_per_authorization": 60,
}


def _config_with(tmp_path: Path, limits: dict[str, Any] | None) -> Path:
    stage: dict[str, Any] = {"environment_variables": {}}
    if limits is not None:
        stage["api_limits"] = limits
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps({"stages": {"prod": stage}}))
    return config_file


def test_limits_are_read_from_the_stage(tmp_path: Path) -> None:
    limits = ApiLimits.for_stage("prod", _config_with(tmp_path, GOOD_LIMITS))
    assert (limits.rate_limit, limits.burst_limit, limits.waf_per_authorization) == (20, 40, 60)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"waf_window_seconds": 90}, "waf_window_seconds"),
        ({"waf_per_authorization": 5}, "from 10"),
        ({"rate_limit": 0}, "rate_limit"),
        ({"per_user": 3}, "per_user"),
    ],
)
def test_limits_aws_would_refuse_are_refused_before_deploying(
    tmp_path: Path, change: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(SettingsError, match=complaint):
        ApiLimits.for_stage("prod", _config_with(tmp_path, {**GOOD_LIMITS, **change}))


def test_a_stage_without_limits_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no api_limits"):
        ApiLimits.for_stage("prod", _config_with(tmp_path, None))


@pytest.mark.parametrize("stage", DEPLOYED_STAGES)
def test_chalice_deploy_reserves_the_configured_concurrency(stage: str) -> None:
    config = Config(chalice_stage=stage, config_from_disk=json.loads(CHALICE_CONFIG.read_text()))
    assert isinstance(config.reserved_concurrency, int) and config.reserved_concurrency > 0


@pytest.mark.parametrize("stage", DEPLOYED_STAGES)
def test_the_stage_throttle_answers_429_before_the_function_runs_out(stage: str) -> None:
    # Past its reserved concurrency Lambda refuses invocations, which API Gateway answers with a 5xx;
    # the stage throttle must be the limit a crowd meets first, with its 429 and CORS headers.
    limits = ApiLimits.for_stage(stage)
    reserved = Config(
        chalice_stage=stage, config_from_disk=json.loads(CHALICE_CONFIG.read_text())
    ).reserved_concurrency
    assert limits.rate_limit * TYPICAL_QUESTION_SECONDS <= reserved
    assert limits.burst_limit <= reserved


@pytest.mark.parametrize("stage", DEPLOYED_STAGES)
def test_the_idempotency_table_made_is_the_one_the_app_reads(stage: str) -> None:
    env = {**stage_environment(stage), "PAGE_TOKEN_SECRET": "a secret of sixteen or more"}
    assert Settings.from_env(env).idempotency_table_name == idempotency_table(stage)
    table = merge_template(stage)["Resources"]["IdempotencyTable"]["Properties"]["TableName"]
    assert table == idempotency_table(stage) == f"PetStore-{stage}-idempotency"


def test_api_gateway_and_the_waf_allow_the_request_headers_the_app_allows() -> None:
    import app

    allowed = app.CORS.allow_headers
    assert "Idempotency-Key" in allowed.split(",")
    for kind, response in gateway_responses().items():
        header = response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Headers"]
        assert header == f"'{allowed}'", kind
    for rule in merge_template("prod")["Resources"]["ApiFirewall"]["Properties"]["Rules"]:
        if "Block" in rule.get("Action", {}):
            headers = rule["Action"]["Block"]["CustomResponse"]["ResponseHeaders"]
            assert {"Name": "Access-Control-Allow-Headers", "Value": allowed} in headers, rule["Name"]


def test_the_429_says_what_the_page_shows() -> None:
    assert TOO_MANY_REQUESTS["error"] == "too_many_requests"
    assert TOO_MANY_REQUESTS["message"].startswith("Too many requests, try again in a moment")


def test_the_web_acl_and_the_headers_policy_are_what_the_aws_apis_take() -> None:
    # The CloudFormation properties use the API's names; botocore checks them against the service model.
    template = merge_template("prod")["Resources"]
    resources = {name: resolved(template[name], NAMES) for name in ("ApiFirewall", "PageHeadersPolicy")}
    wafv2 = boto3.client("wafv2", region_name="us-east-1")
    with Stubber(wafv2) as stub:
        stub.add_response("create_web_acl", {})
        wafv2.create_web_acl(**resources["ApiFirewall"]["Properties"])
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    with Stubber(cloudfront) as stub:
        stub.add_response("create_response_headers_policy", {})
        cloudfront.create_response_headers_policy(**resources["PageHeadersPolicy"]["Properties"])


@pytest.fixture(scope="module")
def dev_stack_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dev") / "web.json"
    path.write_text(json.dumps(web_stack_template("dev"), indent=2))
    return path


def test_the_dev_stack_passes_cfn_lint_and_checkov(dev_stack_file: Path) -> None:
    lint = cfn_lint(dev_stack_file)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    report = checkov(dev_stack_file)
    assert not report.failed, "checkov failed:\n" + report.describe_failures()


def test_the_dev_stack_puts_the_web_acl_in_front_of_the_api_once_it_exists() -> None:
    template = web_stack_template("dev")
    association = template["Resources"]["ApiFirewallAssociation"]
    assert association["Condition"] == API_DEPLOYED
    assert association["Properties"]["ResourceArn"]["Fn::Sub"].endswith("/restapis/${RestApiId}/stages/api")
    assert template["Parameters"]["RestApiId"]["Default"] == ""
    # Before the first deploy the CSP allows the region's APIs; after, only this one.
    config = template["Resources"]["PageHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    condition, deployed, before = config["SecurityHeadersConfig"]["ContentSecurityPolicy"][
        "ContentSecurityPolicy"
    ]["Fn::If"]
    assert condition == API_DEPLOYED
    assert "https://${RestApiId}.execute-api.${AWS::Region}.${AWS::URLSuffix}" in deployed["Fn::Sub"]
    assert "https://*.execute-api.${AWS::Region}" in before["Fn::Sub"]
    outputs = template["Outputs"]
    assert {"PageUrl", "ApiAccessLogGroupArn", "WebAclArn", "AlarmTopicArn"} <= set(outputs)


def test_the_dev_stack_limits_and_logs_as_the_dev_stage_says() -> None:
    resources = web_stack_template("dev")["Resources"]
    limits = ApiLimits.for_stage("dev")
    rules = {rule["Name"]: rule for rule in resources["ApiFirewall"]["Properties"]["Rules"]}
    assert rules["PerIp"]["Statement"]["RateBasedStatement"]["Limit"] == limits.waf_per_ip
    # Dev's data and logs go with its stack; prod's stay.
    assert resources["ApiAccessLogs"]["DeletionPolicy"] == "Delete"
    assert resources["FunctionLogs"]["DeletionPolicy"] == "Delete"
    assert resources["FunctionLogs"]["Properties"]["LogGroupName"] == "/aws/lambda/petstore-dev"
    assert resources["ApiGatewayAccount"]["DeletionPolicy"] == "Retain"


def test_the_deployed_csp_differs_from_the_local_one_only_in_what_the_page_calls() -> None:
    local = csp_directives(LOCAL_CSP)
    deployed = csp_directives(resolved(deployed_csp("${RestApiId}"), NAMES))
    assert {k: v for k, v in deployed.items() if k != "connect-src"} == {
        k: v for k, v in local.items() if k != "connect-src"
    }
    assert local["connect-src"] == ["'self'", *LOOPBACK_SOURCES]
    assert deployed["connect-src"] == [
        "'self'",
        "https://abc123.execute-api.us-east-1.amazonaws.com",
        "https://cognito-idp.us-east-1.amazonaws.com",
    ]
    assert deployed["frame-ancestors"] == ["'none'"] and deployed["script-src"] == ["'self'"]


@pytest.fixture
def page_server() -> Iterator[str]:
    handler = functools.partial(stack._PageHandler, config={"apiBaseUrl": "http://127.0.0.1:1/"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_local_page_server_sends_the_one_csp(page_server: str) -> None:
    for path in ("", "config.json"):
        response = requests.get(page_server + path, timeout=5)
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"] == LOCAL_CSP


def test_the_access_log_format_is_json_of_context_variables() -> None:
    fields = json.loads(ACCESS_LOG_FORMAT)
    assert all(value.startswith("$context.") for value in fields.values())
    assert {"requestId", "user", "ip", "status", "waf"} <= set(fields)
