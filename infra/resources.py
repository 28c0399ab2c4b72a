"""CloudFormation for what Chalice does not make, built from the definitions the app and bootstrap use."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from chalicelib.adapters import telemetry
from chalicelib.adapters.auth import AGENT_SCOPE, STAFF_GROUP
from chalicelib.adapters.storage import table_definition
from infra.bootstrap import APP_CLIENT_SETTINGS, STAFF_GROUP_DESCRIPTION, USER_POOL_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
PROTECTED_STAGES = frozenset({"prod"})
# AWS managed CloudFront policies: CachingOptimized, and SecurityHeadersPolicy (HSTS, nosniff, ...).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
# The alarm: more than this share of questions answered by the keyword fallback, in 2 of 3
# five-minute periods that had at least MIN_QUESTIONS questions (a quiet hour's one failure is noise).
FALLBACK_RATE_THRESHOLD = 0.2
MIN_QUESTIONS = 10
DISTRIBUTION_ARN = "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${PageDistribution}"
PAGE_ORIGIN = "https://${PageDistribution.DomainName}"
_STAR_ARN = re.compile(r"^arn:aws:(dynamodb|bedrock|secretsmanager|logs):\*:\*:")


def stage_environment(stage: str) -> dict[str, str]:
    """The stage's environment variables as .chalice/config.json gives them (top level, then stage)."""
    config = json.loads(CHALICE_CONFIG.read_text())
    return {**config.get("environment_variables", {}), **config["stages"][stage]["environment_variables"]}


def protected(stage: str) -> bool:
    return stage in PROTECTED_STAGES


def _retained(stage: str) -> dict[str, str]:
    # A protected stage's users and pets outlive its stack: deleting the stack leaves them behind.
    policy = "Retain" if protected(stage) else "Delete"
    return {"DeletionPolicy": policy, "UpdateReplacePolicy": policy}


def table_resource(stage: str) -> dict[str, Any]:
    """AWS::DynamoDB::Table from chalicelib.storage.table_definition: CreateTable's names are CFN's."""
    properties = table_definition(stage_environment(stage)["TABLE_NAME"])
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["DeletionProtectionEnabled"] = protected(stage)
    return {"Type": "AWS::DynamoDB::Table", **_retained(stage), "Properties": properties}


def user_pool_resources(stage: str) -> dict[str, Any]:
    pool = {
        "Type": "AWS::Cognito::UserPool",
        **_retained(stage),
        "Properties": {
            "UserPoolName": f"petstore-{stage}",
            "DeletionProtection": "ACTIVE" if protected(stage) else "INACTIVE",
            **copy.deepcopy(USER_POOL_SETTINGS),
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
    return {
        "Type": "AWS::SecretsManager::Secret",
        "Properties": {
            "Name": stage_environment(stage)["PAGE_TOKEN_SECRET_ID"],
            "Description": "Signs the pet store's pagination tokens",
            "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True},
        },
    }


def web_resources(stage: str) -> dict[str, Any]:
    """The page's private bucket, CloudFront in front of it (origin access control), the alarm."""
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
        },
    }
    access_control = {
        "Type": "AWS::CloudFront::OriginAccessControl",
        "Properties": {
            "OriginAccessControlConfig": {
                "Name": {"Fn::Sub": f"petstore-{stage}-page-${{AWS::StackName}}"},
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    }
    distribution = {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "Comment": f"petstore {stage} chat page",
                "Enabled": True,
                "DefaultRootObject": "index.html",
                "HttpVersion": "http2and3",
                "PriceClass": "PriceClass_100",
                "Origins": [
                    {
                        "Id": "page",
                        "DomainName": {"Fn::GetAtt": ["PageBucket", "RegionalDomainName"]},
                        "OriginAccessControlId": {"Fn::GetAtt": ["PageOriginAccessControl", "Id"]},
                        # Empty: OAC, not the legacy origin access identity, signs requests.
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
                "DefaultCacheBehavior": {
                    "TargetOriginId": "page",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "AllowedMethods": ["GET", "HEAD"],
                    "Compress": True,
                    "CachePolicyId": CACHING_OPTIMIZED,
                    "ResponseHeadersPolicyId": SECURITY_HEADERS,
                },
            }
        },
    }
    bucket_policy = {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "PageBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudFrontReadsThePage",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudfront.amazonaws.com"},
                        "Action": "s3:GetObject",
                        "Resource": {"Fn::Sub": "${PageBucket.Arn}/*"},
                        "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": DISTRIBUTION_ARN}}},
                    }
                ],
            },
        },
    }
    return {
        "PageBucket": bucket,
        "PageOriginAccessControl": access_control,
        "PageDistribution": distribution,
        "PageBucketPolicy": bucket_policy,
        "AlarmTopic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": f"petstore-{stage}-alarms"}},
        "FallbackRateAlarm": fallback_alarm(stage),
    }


def fallback_alarm(stage: str) -> dict[str, Any]:
    """Fallbacks is 0 or 1 per question (chalicelib.telemetry), so its average is the fallback rate."""
    metric = {
        "Namespace": telemetry.NAMESPACE,
        "MetricName": telemetry.FALLBACKS,
        "Dimensions": [{"Name": "service", "Value": stage_environment(stage)["POWERTOOLS_SERVICE_NAME"]}],
    }
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"petstore-{stage}-fallback-rate",
            "AlarmDescription": (
                f"Over {FALLBACK_RATE_THRESHOLD:.0%} of questions answered by the keyword fallback: "
                "Bedrock is failing (see the Fallbacks metric by Reason)."
            ),
            "Metrics": [
                {
                    "Id": "rate",
                    "MetricStat": {"Metric": metric, "Period": 300, "Stat": "Average"},
                    "ReturnData": False,
                },
                {
                    "Id": "questions",
                    "MetricStat": {"Metric": metric, "Period": 300, "Stat": "SampleCount"},
                    "ReturnData": False,
                },
                {
                    "Id": "guarded",
                    "Expression": f"IF(questions >= {MIN_QUESTIONS}, rate, 0)",
                    "Label": "Fallback rate",
                    "ReturnData": True,
                },
            ],
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": FALLBACK_RATE_THRESHOLD,
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 2,
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
            "OKActions": [{"Ref": "AlarmTopic"}],
        },
    }


# API Gateway's own answers in the API's error shape: {"error": "unauthorized", "message": "..."}.
ERROR_TEMPLATE = (
    '{"error":"$context.error.responseType.toLowerCase()","message":$context.error.messageString}'
)


def gateway_responses() -> dict[str, Any]:
    """CORS headers and the API's error shape on API Gateway's own answers (authorizer 401/403,
    throttling 429, 5xx): chalice #960.

    Written into the API definition rather than as AWS::ApiGateway::GatewayResponse resources, so
    they are part of the deployment SAM makes from that definition instead of waiting for the next.
    """
    headers = {
        "gatewayresponse.header.Access-Control-Allow-Origin": {"Fn::Sub": f"'{PAGE_ORIGIN}'"},
        "gatewayresponse.header.Access-Control-Allow-Headers": "'Authorization,Content-Type'",
        "gatewayresponse.header.Vary": "'Origin'",
    }
    return {
        kind: {
            "responseParameters": copy.deepcopy(headers),
            "responseTemplates": {"application/json": ERROR_TEMPLATE},
        }
        for kind in ("DEFAULT_4XX", "DEFAULT_5XX")
    }


def merge_template(stage: str) -> dict[str, Any]:
    """The template `chalice package --merge-template` folds into its SAM template (dicts merge deeply)."""
    env = stage_environment(stage)
    function_name = f"petstore-{stage}"
    resources: dict[str, Any] = {
        "PetsTable": table_resource(stage),
        **user_pool_resources(stage),
        "PageTokenSecret": secret_resource(stage),
        **web_resources(stage),
        "APIHandler": {
            "Properties": {
                # Named, so the log group matches the policy's /aws/lambda/petstore-<stage>.
                "FunctionName": function_name,
                "Environment": {
                    "Variables": {
                        "TABLE_NAME": {"Ref": "PetsTable"},
                        "USER_POOL_ID": {"Ref": "UserPool"},
                        "USER_POOL_ARN": {"Fn::GetAtt": ["UserPool", "Arn"]},
                        "APP_CLIENT_ID": {"Ref": "UserPoolClient"},
                        "CORS_ORIGIN": {"Fn::Sub": PAGE_ORIGIN},
                        # The secret's ARN; the function reads the value at cold start.
                        "PAGE_TOKEN_SECRET_ID": {"Ref": "PageTokenSecret"},
                    }
                },
            }
        },
        "RestAPI": {
            "Properties": {
                "DefinitionBody": {
                    "securityDefinitions": {
                        "PetStoreUsers": {
                            "x-amazon-apigateway-authorizer": {
                                "providerARNs": [{"Fn::GetAtt": ["UserPool", "Arn"]}]
                            }
                        }
                    },
                    "x-amazon-apigateway-gateway-responses": gateway_responses(),
                }
            }
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
        "PageBucketName": {"Value": {"Ref": "PageBucket"}},
        "PageDistributionId": {"Value": {"Ref": "PageDistribution"}},
        "PageUrl": {"Value": {"Fn::Sub": f"{PAGE_ORIGIN}/"}},
        "AlarmTopicArn": {"Value": {"Ref": "AlarmTopic"}},
    }
    return {"Resources": resources, "Outputs": outputs}


def web_stack_template(stage: str) -> dict[str, Any]:
    """The page and alarm on their own, for stages deployed with `chalice deploy` (see infra.deploy)."""
    outputs = {
        key: value
        for key, value in merge_template(stage)["Outputs"].items()
        if key in {"PageBucketName", "PageDistributionId", "PageUrl", "AlarmTopicArn"}
    }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": web_resources(stage), "Outputs": outputs}


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
