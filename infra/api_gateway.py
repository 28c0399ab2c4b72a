"""The template's API settings applied to an API `chalice deploy` made: API Gateway's own answers
and the stage's throttling, access log and tracing."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from infra.resources import ACCESS_LOG_FORMAT, ApiLimits, gateway_responses

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient
    from mypy_boto3_apigateway.literals import GatewayResponseTypeType
    from mypy_boto3_apigateway.type_defs import PatchOperationTypeDef


def put_gateway_responses(apigateway: APIGatewayClient, rest_api_id: str, page_origin: str) -> None:
    """The template's GatewayResponses (CORS on 401/403/429/5xx) for an API `chalice deploy` made."""
    for kind, response in gateway_responses().items():
        parameters = {
            header: value if isinstance(value, str) else f"'{page_origin}'"
            for header, value in response["responseParameters"].items()
        }
        status = {"statusCode": response["statusCode"]} if "statusCode" in response else {}
        apigateway.put_gateway_response(
            restApiId=rest_api_id,
            responseType=cast("GatewayResponseTypeType", kind),
            responseParameters=parameters,
            responseTemplates=response["responseTemplates"],
            **status,
        )


def configure_stage(
    apigateway: APIGatewayClient,
    rest_api_id: str,
    api_stage: str,
    limits: ApiLimits,
    access_log_arn: str,
    traced: bool,
) -> None:
    """The template's stage settings on a stage `chalice deploy` made: throttling of every method,
    the JSON access log, and X-Ray as the stage's `xray` setting says."""
    operations: list[PatchOperationTypeDef] = [
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(limits.rate_limit)},
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(limits.burst_limit)},
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": access_log_arn},
        {"op": "replace", "path": "/accessLogSettings/format", "value": ACCESS_LOG_FORMAT},
        {"op": "replace", "path": "/tracingEnabled", "value": "true" if traced else "false"},
    ]
    apigateway.update_stage(restApiId=rest_api_id, stageName=api_stage, patchOperations=operations)
