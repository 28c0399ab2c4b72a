"""Stacks made and updated with their parameters; the web stack of a `chalice deploy` stage takes
over the log group an earlier function made.

moto plays CloudWatch Logs and plain stacks; CloudFormation's import change sets it does not play,
so for those the CloudFormation calls are stubbed (the stubber checks each request against the
service model).
"""

import datetime
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from infra.deploy import ensure_web_stack
from infra.resources import FUNCTION_LOG_GROUP, function_log_group_name, web_stack_template
from infra.stacks import ensure_stack

REGION = "us-east-1"
STACK = "petstore-dev-web"
GROUP = function_log_group_name("dev")
NOW = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
# The web stack as a version before the function's log group made it.
OLDER_TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"RestApiId": {"Type": "String", "Default": ""}},
    "Resources": {
        "AlarmTopic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "petstore-dev-alarms"}}
    },
    "Outputs": {"AlarmTopicArn": {"Value": {"Ref": "AlarmTopic"}}},
}


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def logs(aws: None) -> Any:
    return boto3.client("logs", region_name=REGION)


@pytest.fixture
def lambdas_group(logs: Any) -> Any:
    """The log group Lambda made for an earlier function, before any stack held one."""
    logs.create_log_group(logGroupName=GROUP)
    return logs


@pytest.fixture
def cloudformation() -> Iterator[tuple[Any, Stubber, list[dict[str, Any]]]]:
    """A CloudFormation client whose calls are stubbed, and the change sets asked of it."""
    client = boto3.client(
        "cloudformation", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    change_sets: list[dict[str, Any]] = []
    client.meta.events.register(
        "provide-client-params.cloudformation.CreateChangeSet",
        lambda params, **_: change_sets.append(params),
    )
    with Stubber(client) as stub:
        yield client, stub, change_sets
        stub.assert_no_pending_responses()


def test_a_stack_is_made_then_updated_with_its_parameters(aws: None) -> None:
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    template = {
        "Parameters": {"RestApiId": {"Type": "String", "Default": ""}},
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "petstore-dev-alarms"}}
        },
        "Outputs": {"Api": {"Value": {"Fn::Sub": "api-${RestApiId}"}}},
    }
    assert ensure_stack(cloudformation, "petstore-dev-web", template, {"RestApiId": ""}) == {"Api": "api-"}
    assert ensure_stack(cloudformation, "petstore-dev-web", template, {"RestApiId": "abc123"}) == {
        "Api": "api-abc123"
    }
    stack = cloudformation.describe_stacks(StackName="petstore-dev-web")["Stacks"][0]
    assert stack["Parameters"] == [{"ParameterKey": "RestApiId", "ParameterValue": "abc123"}]


def _stack(status: str, parameters: list[dict[str, str]] | None = None) -> dict[str, Any]:
    stack = {"StackName": STACK, "CreationTime": NOW, "StackStatus": status, "Outputs": []}
    return {"Stacks": [{**stack, "Parameters": parameters or []}]}


def _holds_no_log_group(stub: Stubber, reason: str) -> None:
    stub.add_client_error(
        "describe_stack_resource",
        service_error_code="ValidationError",
        service_message=reason,
        expected_params={"StackName": STACK, "LogicalResourceId": FUNCTION_LOG_GROUP},
    )


def _import_runs(stub: Stubber) -> None:
    names = {"StackName": STACK, "ChangeSetName": ANY}
    stub.add_response("create_change_set", {"Id": "change-set-arn", "StackId": "stack-arn"})
    stub.add_response("describe_change_set", {"Status": "CREATE_COMPLETE"}, names)
    stub.add_response("execute_change_set", {}, names)
    stub.add_response("describe_stacks", _stack("IMPORT_COMPLETE"), {"StackName": STACK})


def _update_runs(stub: Stubber) -> None:
    """ensure_stack on a stack that exists: update, wait, read the outputs."""
    stub.add_response("describe_stacks", _stack("UPDATE_COMPLETE"), {"StackName": STACK})
    stub.add_response("update_stack", {"StackId": "stack-arn"})
    stub.add_response("describe_stacks", _stack("UPDATE_COMPLETE"), {"StackName": STACK})
    stub.add_response("describe_stacks", _stack("UPDATE_COMPLETE"), {"StackName": STACK})


@pytest.mark.usefixtures("lambdas_group")
def test_an_older_stack_takes_over_the_group_lambda_made_then_encrypts_it(
    logs: Any, cloudformation: tuple[Any, Stubber, list[dict[str, Any]]]
) -> None:
    client, stub, change_sets = cloudformation
    _holds_no_log_group(stub, f"Resource {FUNCTION_LOG_GROUP} does not exist for stack {STACK}")
    stub.add_response("describe_stacks", _stack("UPDATE_COMPLETE", [{"ParameterKey": "RestApiId"}]))
    stub.add_response("get_template", {"TemplateBody": json.dumps(OLDER_TEMPLATE)})
    _import_runs(stub)
    _update_runs(stub)

    ensure_web_stack(client, logs, "dev", "abc123")

    (change_set,) = change_sets
    assert change_set["ChangeSetType"] == "IMPORT"
    assert change_set["ResourcesToImport"] == [
        {
            "ResourceType": "AWS::Logs::LogGroup",
            "LogicalResourceId": FUNCTION_LOG_GROUP,
            "ResourceIdentifier": {"LogGroupName": GROUP},
        }
    ]
    # The import changes nothing else: the stack as it was, its parameters as they were, plus the
    # group as it is; the update after it sets the key and the retention.
    body = json.loads(change_set["TemplateBody"])
    assert {k: v for k, v in body.items() if k != "Resources"} == {
        k: v for k, v in OLDER_TEMPLATE.items() if k != "Resources"
    }
    assert body["Resources"] == {
        **OLDER_TEMPLATE["Resources"],
        FUNCTION_LOG_GROUP: {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {"LogGroupName": GROUP},
        },
    }
    assert change_set["Parameters"] == [{"ParameterKey": "RestApiId", "UsePreviousValue": True}]
    assert "KmsKeyId" in web_stack_template("dev")["Resources"][FUNCTION_LOG_GROUP]["Properties"]


@pytest.mark.usefixtures("lambdas_group")
def test_without_a_stack_the_group_becomes_a_stack_of_its_own_first(
    logs: Any, cloudformation: tuple[Any, Stubber, list[dict[str, Any]]]
) -> None:
    client, stub, change_sets = cloudformation
    _holds_no_log_group(stub, f"Stack with id {STACK} does not exist")
    stub.add_client_error("describe_stacks", service_error_code="ValidationError")
    _import_runs(stub)
    _update_runs(stub)

    ensure_web_stack(client, logs, "dev", "")

    (change_set,) = change_sets
    body = json.loads(change_set["TemplateBody"])
    assert list(body["Resources"]) == [FUNCTION_LOG_GROUP] and change_set["Parameters"] == []


@pytest.mark.usefixtures("lambdas_group")
def test_a_group_the_stack_holds_is_left_to_the_update(
    logs: Any, cloudformation: tuple[Any, Stubber, list[dict[str, Any]]]
) -> None:
    client, stub, change_sets = cloudformation
    detail = {
        "LogicalResourceId": FUNCTION_LOG_GROUP,
        "ResourceType": "AWS::Logs::LogGroup",
        "LastUpdatedTimestamp": NOW,
        "ResourceStatus": "CREATE_COMPLETE",
    }
    stub.add_response("describe_stack_resource", {"StackResourceDetail": detail})
    _update_runs(stub)

    ensure_web_stack(client, logs, "dev", "abc123")

    assert change_sets == []


def test_with_no_group_yet_the_stack_makes_it(
    logs: Any, cloudformation: tuple[Any, Stubber, list[dict[str, Any]]]
) -> None:
    # A group named like it but of another function is not this one.
    logs.create_log_group(logGroupName=f"{GROUP}-other")
    client, stub, change_sets = cloudformation
    _update_runs(stub)

    ensure_web_stack(client, logs, "dev", "abc123")

    assert change_sets == []
