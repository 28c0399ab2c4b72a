"""CloudFormation stacks the deploy steps make and read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_cloudformation.literals import CapabilityType
    from mypy_boto3_cloudformation.type_defs import ParameterTypeDef

# The web stack holds IAM roles (API Gateway's logging role).
CAPABILITIES: list[CapabilityType] = ["CAPABILITY_IAM"]


def stack_outputs(cloudformation: CloudFormationClient, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def ensure_stack(
    cloudformation: CloudFormationClient,
    stack_name: str,
    template: dict[str, Any],
    parameters: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Creates or updates a stack with ``parameters`` and waits for it; returns its outputs."""
    body = json.dumps(template)
    values: list[ParameterTypeDef] = [
        {"ParameterKey": key, "ParameterValue": value} for key, value in (parameters or {}).items()
    ]
    try:
        cloudformation.describe_stacks(StackName=stack_name)
    except cloudformation.exceptions.ClientError:
        cloudformation.create_stack(
            StackName=stack_name, TemplateBody=body, Parameters=values, Capabilities=CAPABILITIES
        )
        cloudformation.get_waiter("stack_create_complete").wait(StackName=stack_name)
    else:
        try:
            cloudformation.update_stack(
                StackName=stack_name, TemplateBody=body, Parameters=values, Capabilities=CAPABILITIES
            )
            cloudformation.get_waiter("stack_update_complete").wait(StackName=stack_name)
        except cloudformation.exceptions.ClientError as error:
            if "No updates are to be performed" not in str(error):
                raise
    return stack_outputs(cloudformation, stack_name)
