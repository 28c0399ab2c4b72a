"""What protects the API and its bill: stage throttling, the WAF web ACL with per-caller rate rules,
and API Gateway's own answers (401/403/429/5xx) in the API's error shape with CORS headers."""

from __future__ import annotations

import copy
import json
from typing import Any

from chalice.app import CORSConfig

from infra.resources.page import PAGE_ORIGIN
from infra.resources.stage_config import ApiLimits

WEB_ACL = "ApiFirewall"
# The one answer to a caller over a limit, from API Gateway's throttling and the WAF's rules alike.
TOO_MANY_REQUESTS = {"error": "too_many_requests", "message": "Too many requests, try again in a moment."}
TOO_MANY_REQUESTS_BODY = json.dumps(TOO_MANY_REQUESTS, separators=(",", ":"))
# API Gateway's own answers in the API's error shape: {"error": "unauthorized", "message": "..."}.
ERROR_TEMPLATE = (
    '{"error":"$context.error.responseType.toLowerCase()","message":$context.error.messageString}'
)
# The request headers the app's CORS allows (app.CORS): the page's sign-in token, its JSON, and the
# key that makes a retried add one add. Chalice adds those of AWS-signed requests and API keys, and
# its preflight answers list them all; API Gateway's own answers list the same.
REQUEST_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key")
ALLOWED_HEADERS: str = CORSConfig(allow_headers=REQUEST_HEADERS).allow_headers
# The headers a browser needs to read an error: the page's origin may see it.
CORS_HEADERS = {"Access-Control-Allow-Headers": ALLOWED_HEADERS, "Vary": "Origin"}
# Seconds a throttled caller should wait: the token bucket refills every second.
THROTTLED_RETRY_AFTER = 1
APIGATEWAY = "arn:${AWS::Partition}:apigateway:${AWS::Region}"


def method_settings(limits: ApiLimits) -> list[dict[str, Any]]:
    """The stage's throttling, for every method of every path (AWS::Serverless::Api MethodSettings)."""
    return [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": limits.rate_limit,
            "ThrottlingBurstLimit": limits.burst_limit,
        }
    ]


def gateway_responses() -> dict[str, Any]:
    """CORS headers and the API's error shape on API Gateway's own answers (authorizer 401/403,
    throttling 429, 5xx): chalice #960. The page's origin is a template value: ``${PageDistribution}``.

    Written into the API definition rather than as AWS::ApiGateway::GatewayResponse resources, so
    they are part of the deployment SAM makes from that definition instead of waiting for the next.
    """
    headers = {
        "gatewayresponse.header.Access-Control-Allow-Origin": {"Fn::Sub": f"'{PAGE_ORIGIN}'"},
        **{f"gatewayresponse.header.{name}": f"'{value}'" for name, value in CORS_HEADERS.items()},
    }
    responses: dict[str, Any] = {
        kind: {
            "responseParameters": copy.deepcopy(headers),
            "responseTemplates": {"application/json": ERROR_TEMPLATE},
        }
        for kind in ("DEFAULT_4XX", "DEFAULT_5XX")
    }
    responses["THROTTLED"] = {
        "statusCode": "429",
        "responseParameters": {
            **copy.deepcopy(headers),
            "gatewayresponse.header.Retry-After": f"'{THROTTLED_RETRY_AFTER}'",
        },
        "responseTemplates": {"application/json": TOO_MANY_REQUESTS_BODY},
    }
    return responses


def web_acl(stage: str, limits: ApiLimits) -> dict[str, Any]:
    """A regional web ACL: per-token and per-address rate rules answering 429 in the API's shape,
    and AWS's known-bad-inputs rules (Log4Shell and the like)."""
    window = limits.waf_window_seconds
    rules = [
        _rate_rule(
            "PerAuthorizationHeader",
            0,
            {
                "Limit": limits.waf_per_authorization,
                "EvaluationWindowSec": window,
                "AggregateKeyType": "CUSTOM_KEYS",
                # One count per token: requests without one are left to the per-address rule.
                "CustomKeys": [
                    {
                        "Header": {
                            "Name": "authorization",
                            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                        }
                    }
                ],
            },
            window,
        ),
        _rate_rule(
            "PerIp",
            1,
            {"Limit": limits.waf_per_ip, "EvaluationWindowSec": window, "AggregateKeyType": "IP"},
            window,
        ),
        {
            "Name": "KnownBadInputs",
            "Priority": 2,
            "OverrideAction": {"None": {}},
            "Statement": {
                "ManagedRuleGroupStatement": {
                    "VendorName": "AWS",
                    "Name": "AWSManagedRulesKnownBadInputsRuleSet",
                }
            },
            "VisibilityConfig": _visibility("KnownBadInputs"),
        },
    ]
    return {
        "Type": "AWS::WAFv2::WebACL",
        "Properties": {
            "Name": f"petstore-{stage}-api",
            "Description": f"Rate limits and known bad inputs for the petstore {stage} API",
            "Scope": "REGIONAL",
            "DefaultAction": {"Allow": {}},
            "CustomResponseBodies": {
                "too-many-requests": {"ContentType": "APPLICATION_JSON", "Content": TOO_MANY_REQUESTS_BODY}
            },
            "Rules": rules,
            "VisibilityConfig": _visibility(f"petstore-{stage}-api"),
        },
    }


def web_acl_association(rest_api: str, api_stage: str) -> dict[str, Any]:
    """Puts the web ACL in front of a REST API stage; ``rest_api`` and ``api_stage`` are Fn::Sub text."""
    return {
        "Type": "AWS::WAFv2::WebACLAssociation",
        "Properties": {
            "ResourceArn": {"Fn::Sub": f"{APIGATEWAY}::/restapis/{rest_api}/stages/{api_stage}"},
            "WebACLArn": {"Fn::GetAtt": [WEB_ACL, "Arn"]},
        },
    }


def _rate_rule(name: str, priority: int, statement: dict[str, Any], window: int) -> dict[str, Any]:
    response_headers = [
        {"Name": "Access-Control-Allow-Origin", "Value": {"Fn::Sub": PAGE_ORIGIN}},
        *({"Name": header, "Value": value} for header, value in CORS_HEADERS.items()),
        # WAF lets a caller through again once its count over the window falls under the limit.
        {"Name": "Retry-After", "Value": str(window)},
    ]
    return {
        "Name": name,
        "Priority": priority,
        "Action": {
            "Block": {
                "CustomResponse": {
                    "ResponseCode": 429,
                    "CustomResponseBodyKey": "too-many-requests",
                    "ResponseHeaders": response_headers,
                }
            }
        },
        "Statement": {"RateBasedStatement": statement},
        "VisibilityConfig": _visibility(name),
    }


def _visibility(metric: str) -> dict[str, Any]:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": metric}
