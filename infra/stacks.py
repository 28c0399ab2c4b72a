"""CloudFormation stacks the deploy steps make and read."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_cloudformation.literals import CapabilityType
    from mypy_boto3_cloudformation.type_defs import ParameterTypeDef, ResourceToImportTypeDef

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


def stack_has_resource(cloudformation: CloudFormationClient, stack_name: str, logical_id: str) -> bool:
    """Whether the stack exists and holds the resource."""
    try:
        cloudformation.describe_stack_resource(StackName=stack_name, LogicalResourceId=logical_id)
    except cloudformation.exceptions.ClientError as error:
        # CloudFormation says "does not exist" of a missing stack and a missing resource alike.
        if error.response["Error"]["Code"] != "ValidationError":
            raise
        return False
    return True


def import_into_stack(
    cloudformation: CloudFormationClient,
    stack_name: str,
    template: Mapping[str, Any],
    found: Mapping[str, Mapping[str, str]],
) -> None:
    """Brings resources made outside the stack under it, before the stack is made or updated with
    ``template``; ``found`` maps their logical ids in ``template`` to their identifiers
    (``{"LogGroupName": ...}``).

    An import may change nothing else: the stack's current template (none, for a stack not made
    yet) gets only those resources, described by their identifiers and deletion policies alone, so
    that the update with ``template`` after it sets the rest of their properties.
    """
    imported = {
        logical_id: _as_imported(template["Resources"][logical_id], found[logical_id]) for logical_id in found
    }
    current = _current_template(cloudformation, stack_name)
    if current is None:
        body: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": imported}
        parameters: list[ParameterTypeDef] = []
    else:
        body, names = current
        body = {**body, "Resources": {**body["Resources"], **imported}}
        parameters = [{"ParameterKey": name, "UsePreviousValue": True} for name in names]
    to_import: list[ResourceToImportTypeDef] = [
        {
            "ResourceType": imported[logical_id]["Type"],
            "LogicalResourceId": logical_id,
            "ResourceIdentifier": dict(identifier),
        }
        for logical_id, identifier in found.items()
    ]
    change_set = f"import-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}"
    cloudformation.create_change_set(
        StackName=stack_name,
        ChangeSetName=change_set,
        ChangeSetType="IMPORT",
        TemplateBody=json.dumps(body),
        Parameters=parameters,
        Capabilities=CAPABILITIES,
        ResourcesToImport=to_import,
    )
    cloudformation.get_waiter("change_set_create_complete").wait(
        StackName=stack_name, ChangeSetName=change_set
    )
    cloudformation.execute_change_set(StackName=stack_name, ChangeSetName=change_set)
    cloudformation.get_waiter("stack_import_complete").wait(StackName=stack_name)


def _as_imported(resource: Mapping[str, Any], identifier: Mapping[str, str]) -> dict[str, Any]:
    # An import needs a deletion policy: the template's own, so the update after it changes none.
    policies = {key: resource[key] for key in ("DeletionPolicy", "UpdateReplacePolicy") if key in resource}
    return {"Type": resource["Type"], **policies, "Properties": dict(identifier)}


def _current_template(
    cloudformation: CloudFormationClient, stack_name: str
) -> tuple[dict[str, Any], list[str]] | None:
    """The stack's template as last deployed and its parameters' names, or None if there is no stack."""
    try:
        stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    except cloudformation.exceptions.ClientError:
        return None
    body = cloudformation.get_template(StackName=stack_name, TemplateStage="Original")["TemplateBody"]
    # botocore hands back a JSON template as a dict, and anything else as text.
    template: dict[str, Any] = json.loads(body) if isinstance(body, str) else dict(body)
    return template, [parameter["ParameterKey"] for parameter in stack.get("Parameters", [])]
