"""The two templates: the merge template `chalice package` folds into its SAM template (path B), and
the stack around a `chalice deploy` stage (path A); then what a merge cannot say."""

from __future__ import annotations

import copy
import re
from typing import Any

from infra.resources.alarms import alarm_resources
from infra.resources.audit import (
    ACCESS_LOG_FORMAT,
    FUNCTION_LOG_GROUP,
    access_log_group_arn,
    audit_resources,
)
from infra.resources.checkov import skipped
from infra.resources.page import PAGE_ORIGIN, deployed_csp, page_resources
from infra.resources.protection import (
    WEB_ACL,
    gateway_responses,
    method_settings,
    web_acl,
    web_acl_association,
)
from infra.resources.stage_config import (
    ApiLimits,
    api_stage_name,
    function_name,
    stage_environment,
    tracing,
)
from infra.resources.state import (
    IDEMPOTENCY_TABLE,
    idempotency_table_resource,
    secret_resource,
    table_resource,
    user_pool_resources,
)

# The web stack learns the API's id once `chalice deploy` has made it (infra.deploy configure-api).
REST_API_PARAMETER = "RestApiId"
API_DEPLOYED = "ApiDeployed"
# The SAM template cannot name its own API in the page's CSP (see page.deployed_csp).
ANY_API = "*"
_STAR_ARN = re.compile(r"^arn:aws:(dynamodb|bedrock|secretsmanager|logs):\*:\*:")
FUNCTION_SKIPS = {
    "CKV_AWS_116": (
        "API Gateway invokes the function synchronously and gets every error back; a dead-letter "
        "queue only receives failed asynchronous invocations, of which there are none."
    ),
    "CKV_AWS_117": (
        "The function reaches only AWS's public endpoints (DynamoDB, Bedrock, Secrets Manager) and "
        "nothing private; a VPC would need a NAT gateway or interface endpoints, costing more than "
        "the rest of the stage, and slow cold starts."
    ),
    "CKV_AWS_173": (
        "The environment holds names and ids only; the one secret stays in Secrets Manager. Lambda "
        "encrypts the environment at rest with its service key."
    ),
}
API_SKIPS = {
    "CKV_AWS_120": (
        "Answers depend on the caller's token and most are POSTed questions; a cache keyed on "
        "Authorization would rarely hit, and costs from $14 a month. The function caches Bedrock's "
        "answers per container, and DynamoDB reads cost less than $0.0001 per thousand pages."
    ),
}


def merge_template(stage: str) -> dict[str, Any]:
    """The template `chalice package --merge-template` folds into its SAM template (dicts merge deeply)."""
    env = stage_environment(stage)
    limits = ApiLimits.for_stage(stage)
    resources: dict[str, Any] = {
        "PetsTable": table_resource(stage),
        IDEMPOTENCY_TABLE: idempotency_table_resource(stage),
        **user_pool_resources(stage),
        "PageTokenSecret": secret_resource(stage),
        **page_resources(stage, deployed_csp(ANY_API)),
        **audit_resources(stage),
        **alarm_resources(stage),
        WEB_ACL: web_acl(stage, limits),
        f"{WEB_ACL}Association": web_acl_association("${RestAPI}", "${RestAPI.Stage}"),
        "APIHandler": {
            # Lambda makes an unencrypted, never-expiring log group if the function runs first.
            "DependsOn": [FUNCTION_LOG_GROUP],
            "Metadata": skipped(FUNCTION_SKIPS),
            "Properties": {
                # Named, so the log group matches the policy's /aws/lambda/petstore-<stage>.
                "FunctionName": function_name(stage),
                "Environment": {
                    "Variables": {
                        "TABLE_NAME": {"Ref": "PetsTable"},
                        "IDEMPOTENCY_TABLE_NAME": {"Ref": IDEMPOTENCY_TABLE},
                        "USER_POOL_ID": {"Ref": "UserPool"},
                        "USER_POOL_ARN": {"Fn::GetAtt": ["UserPool", "Arn"]},
                        "APP_CLIENT_ID": {"Ref": "UserPoolClient"},
                        "CORS_ORIGIN": {"Fn::Sub": PAGE_ORIGIN},
                        # The secret's ARN; the function reads the value at cold start.
                        "PAGE_TOKEN_SECRET_ID": {"Ref": "PageTokenSecret"},
                    }
                },
            },
        },
        "RestAPI": {
            # API Gateway must have its logging role before a stage with access logs is made.
            "DependsOn": ["ApiGatewayAccount"],
            "Metadata": skipped(API_SKIPS),
            "Properties": {
                "MethodSettings": method_settings(limits),
                "AccessLogSetting": {
                    "DestinationArn": {"Fn::Sub": access_log_group_arn(stage)},
                    "Format": ACCESS_LOG_FORMAT,
                },
                "TracingEnabled": tracing(stage),
                "DefinitionBody": {
                    "securityDefinitions": {
                        "PetStoreUsers": {
                            "x-amazon-apigateway-authorizer": {
                                "providerARNs": [{"Fn::GetAtt": ["UserPool", "Arn"]}]
                            }
                        }
                    },
                    "x-amazon-apigateway-gateway-responses": gateway_responses(),
                },
            },
        },
    }
    assert env["TABLE_NAME"] and env["PAGE_TOKEN_SECRET_ID"]
    outputs = {
        "Region": {"Value": {"Ref": "AWS::Region"}},
        "UserPoolId": {"Value": {"Ref": "UserPool"}},
        "UserPoolArn": {"Value": {"Fn::GetAtt": ["UserPool", "Arn"]}},
        "AppClientId": {"Value": {"Ref": "UserPoolClient"}},
        "AgentClientId": {"Value": {"Ref": "AgentClient"}},
        "AgentTokenUrl": {
            "Value": {
                "Fn::Sub": "https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com/oauth2/token"
            }
        },
        "TableName": {"Value": {"Ref": "PetsTable"}},
        "IdempotencyTableName": {"Value": {"Ref": IDEMPOTENCY_TABLE}},
        **_web_outputs(stage),
    }
    return {"Resources": resources, "Outputs": outputs}


def web_stack_template(stage: str) -> dict[str, Any]:
    """What surrounds a `chalice deploy` stage (path A): the page, the audit trail, the alarm, the web
    ACL; once the API exists (its id as the RestApiId parameter), the ACL's association with its
    stage and the API's origin in the page's CSP."""
    api_stage = api_stage_name(stage)
    csp = {"Fn::If": [API_DEPLOYED, deployed_csp(f"${{{REST_API_PARAMETER}}}"), deployed_csp(ANY_API)]}
    association = web_acl_association(f"${{{REST_API_PARAMETER}}}", api_stage)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"petstore {stage}: the page, audit trail, alarm and web ACL around `chalice deploy`",
        "Parameters": {
            REST_API_PARAMETER: {
                "Type": "String",
                "Default": "",
                "Description": "The REST API `chalice deploy` made; empty before the first deploy",
            }
        },
        "Conditions": {API_DEPLOYED: {"Fn::Not": [{"Fn::Equals": [{"Ref": REST_API_PARAMETER}, ""]}]}},
        "Resources": {
            **page_resources(stage, csp),
            **audit_resources(stage),
            **alarm_resources(stage),
            WEB_ACL: web_acl(stage, ApiLimits.for_stage(stage)),
            f"{WEB_ACL}Association": {**association, "Condition": API_DEPLOYED},
        },
        "Outputs": _web_outputs(stage),
    }


def _web_outputs(stage: str) -> dict[str, Any]:
    return {
        "PageBucketName": {"Value": {"Ref": "PageBucket"}},
        "PageDistributionId": {"Value": {"Ref": "PageDistribution"}},
        "PageUrl": {"Value": {"Fn::Sub": f"{PAGE_ORIGIN}/"}},
        "AlarmTopicArn": {"Value": {"Ref": "AlarmTopic"}},
        "ApiAccessLogGroupArn": {"Value": {"Fn::Sub": access_log_group_arn(stage)}},
        "WebAclArn": {"Value": {"Fn::GetAtt": [WEB_ACL, "Arn"]}},
    }


def finish_packaged_template(template: dict[str, Any], stage: str) -> dict[str, Any]:
    """What a merge cannot say: the packaged role's ARNs in this account and region, and the
    preflight answers' origin, which chalice wrote from CORS_ORIGIN when it imported the app."""
    template = copy.deepcopy(template)
    policies = template["Resources"]["ApiHandlerRole"]["Properties"]["Policies"]
    for policy in policies:
        for statement in policy["PolicyDocument"]["Statement"]:
            resources = statement["Resource"]
            listed = [resources] if isinstance(resources, str) else resources
            statement["Resource"] = [_in_this_account(arn) for arn in listed]
    packaged_origin = f"'{stage_environment(stage)['CORS_ORIGIN']}'"
    for methods in template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"].values():
        for method in methods.values():
            for response in method.get("x-amazon-apigateway-integration", {}).get("responses", {}).values():
                parameters = response.get("responseParameters", {})
                key = "method.response.header.Access-Control-Allow-Origin"
                if parameters.get(key) == packaged_origin:
                    parameters[key] = {"Fn::Sub": f"'{PAGE_ORIGIN}'"}
    return template


def _in_this_account(arn: str) -> Any:
    # The hand-written policy cannot know the account; the template can. Foundation models have
    # no account in their ARN and keep their fixed regions.
    if _STAR_ARN.match(arn):
        return {"Fn::Sub": _STAR_ARN.sub(r"arn:${AWS::Partition}:\1:${AWS::Region}:${AWS::AccountId}:", arn)}
    return arn
