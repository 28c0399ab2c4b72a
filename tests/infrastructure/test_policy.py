"""The hand-written IAM policies grant exactly the AWS calls the Lambda code makes, on its resources:
the app's own calls read from app.py and chalicelib/, and the idempotency table's from the source of
Powertools' DynamoDB persistence layer, which makes them for the app."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from aws_lambda_powertools.utilities.idempotency.persistence import dynamodb as powertools_persistence
from botocore import xform_name

from chalicelib.adapters.stage_settings import idempotency_table_name

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_SOURCES = [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]
IDEMPOTENCY_SOURCE = Path(powertools_persistence.__file__)
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text())
STAGES = [name for name, stage in CONFIG["stages"].items() if "iam_policy_file" in stage]
# Services the function talks to; Converse is authorised as InvokeModel (ConverseStream likewise).
SERVICES = {"dynamodb": "dynamodb", "bedrock-runtime": "bedrock", "secretsmanager": "secretsmanager"}
RENAMED = {
    "bedrock:Converse": "bedrock:InvokeModel",
    "bedrock:ConverseStream": "bedrock:InvokeModelWithResponseStream",
}
# boto3 resource helpers that are AWS calls under another name.
HELPERS = {"batch_writer": "dynamodb:BatchWriteItem"}
# Calls IAM authorises as the actions inside them: a transaction needs each of its writes' actions
# (its ClientRequestToken, which makes a retried add one add, needs no action of its own).
INSIDE = {"dynamodb:TransactWriteItems": {"dynamodb:PutItem", "dynamodb:UpdateItem"}}
# Methods that ship in chalicelib but are run only by the deployer's tools (infra/, localdev/), with
# the deployer's credentials: seeding and reindexing write in batches, which the function never does.
DEPLOY_TIME_ONLY = {"load", "recount", "reindex"}
# The receivers AWS calls are made on here (self._table, self._client, client); what a call on
# anything else is named says nothing about AWS (a dict's .get, PetStore.query).
AWS_RECEIVER_WORDS = ("table", "client")
AMBIGUOUS = "ambiguous"
BEDROCK_REGIONS = ("us-east-1", "us-east-2", "us-west-2")


def _operations() -> dict[str, str]:
    """snake_case method name -> IAM action, for every operation of the services used.

    A name two services share (tag_resource) maps to AMBIGUOUS: the scan cannot tell which is meant.
    """
    session = botocore.session.get_session()
    names: dict[str, str] = {}
    for service, prefix in SERVICES.items():
        for operation in session.get_service_model(service).operation_names:
            action = f"{prefix}:{operation}"
            method = xform_name(operation)
            names[method] = AMBIGUOUS if method in names else RENAMED.get(action, action)
    return names


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            yield node


def _aws_calls(function: ast.FunctionDef, operations: dict[str, str]) -> set[str]:
    actions = set()
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = ast.unparse(node.func.value).lower()
        if not any(word in receiver for word in AWS_RECEIVER_WORDS):
            continue
        method = node.func.attr
        if method in HELPERS:
            actions.add(HELPERS[method])
        elif method in operations:
            assert operations[method] != AMBIGUOUS, f"line {node.lineno}: which service's {method}?"
            actions |= INSIDE.get(operations[method], {operations[method]})
    return actions


def used_actions() -> set[str]:
    """The IAM actions the function's code needs, read from app.py and chalicelib/."""
    operations = _operations()
    actions: set[str] = set()
    for source in LAMBDA_SOURCES:
        for function in _functions(ast.parse(source.read_text())):
            if function.name not in DEPLOY_TIME_ONLY:
                actions |= _aws_calls(function, operations)
    return actions


def idempotency_actions() -> set[str]:
    """The IAM actions Powertools' DynamoDB persistence layer needs on the idempotency table."""
    operations = _operations()
    actions: set[str] = set()
    for function in _functions(ast.parse(IDEMPOTENCY_SOURCE.read_text())):
        actions |= _aws_calls(function, operations)
    return actions


def _statements(stage: str) -> list[dict[str, Any]]:
    document = json.loads((ROOT / ".chalice" / CONFIG["stages"][stage]["iam_policy_file"]).read_text())
    statements: list[dict[str, Any]] = document["Statement"]
    for statement in statements:
        assert (
            statement["Effect"] == "Allow" and "NotAction" not in statement and "NotResource" not in statement
        )
    return statements


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _granted(stage: str, prefixes: tuple[str, ...]) -> dict[str, set[str]]:
    """action -> resources, for the actions of the given services."""
    granted: dict[str, set[str]] = {}
    for statement in _statements(stage):
        for action in _listed(statement["Action"]):
            if action.startswith(prefixes):
                granted.setdefault(action, set()).update(_listed(statement["Resource"]))
    return granted


def _stage_env(stage: str) -> dict[str, str]:
    return {**CONFIG.get("environment_variables", {}), **CONFIG["stages"][stage]["environment_variables"]}


def _on(stage: str, prefixes: tuple[str, ...]) -> dict[str, set[str]]:
    """resource -> the actions of the given services granted on it."""
    granted: dict[str, set[str]] = {}
    for statement in _statements(stage):
        actions = {action for action in _listed(statement["Action"]) if action.startswith(prefixes)}
        for resource in _listed(statement["Resource"]) if actions else []:
            granted.setdefault(resource, set()).update(actions)
    return granted


def _tables(stage: str) -> tuple[str, str]:
    """The ARNs of the stage's pets table and idempotency table, named as the app names them."""
    env = _stage_env(stage)
    idempotency = env.get("IDEMPOTENCY_TABLE_NAME") or idempotency_table_name(env["TABLE_NAME"])
    return f"arn:aws:dynamodb:*:*:table/{env['TABLE_NAME']}", f"arn:aws:dynamodb:*:*:table/{idempotency}"


def test_the_code_scan_finds_the_calls_we_know_about() -> None:
    # Guards the scanner itself: were it to find nothing, every policy would look "too wide".
    assert {"dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query"} <= used_actions()
    assert "bedrock:InvokeModel" in used_actions()
    assert "dynamodb:BatchWriteItem" not in used_actions()
    # Powertools reads, claims, completes and, when the add fails, releases a key's record.
    assert {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"} <= (
        idempotency_actions()
    )


def test_seeding_stays_out_of_the_function() -> None:
    # DEPLOY_TIME_ONLY holds only while no Lambda code calls those methods.
    for source in LAMBDA_SOURCES:
        for function in _functions(ast.parse(source.read_text())):
            if function.name in DEPLOY_TIME_ONLY:
                continue  # they may call each other
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    assert node.func.attr not in DEPLOY_TIME_ONLY or ast.unparse(node.func.value) == "json", (
                        f"{source.name}:{node.lineno} calls {node.func.attr}; grant its actions"
                    )


@pytest.mark.parametrize("stage", STAGES)
def test_the_policy_grants_exactly_the_calls_the_code_makes(stage: str) -> None:
    _, idempotency = _tables(stage)
    on = _on(stage, tuple(f"{prefix}:" for prefix in SERVICES.values()))
    granted = {action for resource, actions in on.items() if resource != idempotency for action in actions}
    used = used_actions()
    assert not used - granted, f"policy-{stage} misses {sorted(used - granted)}"
    assert not granted - used, f"policy-{stage} grants unused {sorted(granted - used)}"


@pytest.mark.parametrize("stage", STAGES)
def test_the_idempotency_table_allows_exactly_what_powertools_calls(stage: str) -> None:
    _, idempotency = _tables(stage)
    assert _on(stage, ("dynamodb:",)).get(idempotency) == idempotency_actions()


@pytest.mark.parametrize("stage", STAGES)
def test_table_actions_are_on_the_stage_tables_and_the_pets_indexes_only(stage: str) -> None:
    table, idempotency = _tables(stage)
    on = _on(stage, ("dynamodb:",))
    assert set(on) == {table, f"{table}/index/*", idempotency}
    # The code queries only through indexes, and gets, puts and scans only the table.
    assert on[f"{table}/index/*"] == {"dynamodb:Query"} and "dynamodb:Query" not in on[table]


@pytest.mark.parametrize("stage", STAGES)
def test_bedrock_is_allowed_on_the_configured_profile_and_the_models_it_routes_to(stage: str) -> None:
    profile = _stage_env(stage)["BEDROCK_MODEL_ID"]
    geography, model = profile.split(".", 1)
    assert geography == "us", "a cross-region profile other than us.* routes to other regions"
    expected = {f"arn:aws:bedrock:*:*:inference-profile/{profile}"} | {
        f"arn:aws:bedrock:{region}::foundation-model/{model}" for region in BEDROCK_REGIONS
    }
    assert _granted(stage, ("bedrock:",)) == {"bedrock:InvokeModel": expected}


@pytest.mark.parametrize("stage", STAGES)
def test_the_secret_is_the_stage_own(stage: str) -> None:
    secret = _stage_env(stage)["PAGE_TOKEN_SECRET_ID"]
    # Secrets Manager appends six random characters to a secret's name in its ARN.
    assert _granted(stage, ("secretsmanager:",)) == {
        "secretsmanager:GetSecretValue": {f"arn:aws:secretsmanager:*:*:secret:{secret}-*"}
    }


@pytest.mark.parametrize("stage", STAGES)
def test_logs_go_to_the_function_log_group_and_tracing_follows_the_stage(stage: str) -> None:
    group = f"arn:aws:logs:*:*:log-group:/aws/lambda/{CONFIG['app_name']}-{stage}"
    logs = _granted(stage, ("logs:",))
    # The stage makes the group, encrypted and expiring; the function may not make one of its own.
    assert set(logs) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert all(resources == {group, f"{group}:log-stream:*"} for resources in logs.values())
    xray = _granted(stage, ("xray:",))
    if CONFIG["stages"][stage].get("xray", CONFIG.get("xray", False)):
        assert set(xray) == {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
    else:
        assert not xray
    known = ("dynamodb:", "bedrock:", "secretsmanager:", "logs:", "xray:")
    assert not [a for s in _statements(stage) for a in _listed(s["Action"]) if not a.startswith(known)]
