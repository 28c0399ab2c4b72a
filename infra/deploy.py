"""Deploying to AWS: bootstrap a `chalice deploy` stage, configure its API, package a SAM template,
publish the page."""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3

from chalicelib.adapters.storage import PetTableUpkeep
from infra.api_gateway import configure_stage, put_gateway_responses
from infra.bootstrap import (
    SIGNING_KEY_DESCRIPTION,
    ensure_idempotency_table,
    ensure_table,
    ensure_user_pool,
)
from infra.publish import DeployedStage, publish_page
from infra.resources import (
    CHALICE_CONFIG,
    FUNCTION_LOG_GROUP,
    REST_API_PARAMETER,
    ROOT,
    ApiLimits,
    api_stage_name,
    chalice_config,
    finish_packaged_template,
    function_log_group_name,
    idempotency_table,
    merge_template,
    protected,
    stage_environment,
    tracing,
    web_stack_template,
)
from infra.stacks import ensure_stack, import_into_stack, stack_has_resource, stack_outputs

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

log = logging.getLogger(__name__)

BUILD = ROOT / "build"
CHALICE_DEPLOYED = ROOT / ".chalice" / "deployed"


def write_stage_environment(
    stage: str, values: Mapping[str, str], config_file: Path = CHALICE_CONFIG
) -> None:
    """Sets the stage's environment_variables in .chalice/config.json, keeping everything else."""
    config = chalice_config(config_file)
    config["stages"][stage].setdefault("environment_variables", {}).update(values)
    config_file.write_text(json.dumps(config, indent=2) + "\n")


def ensure_secret(secretsmanager: SecretsManagerClient, name: str) -> str:
    """The stage's page-token secret, created with a random value unless it exists; returns its ARN."""
    try:
        return secretsmanager.describe_secret(SecretId=name)["ARN"]
    except secretsmanager.exceptions.ResourceNotFoundException:
        created = secretsmanager.create_secret(
            Name=name,
            Description=SIGNING_KEY_DESCRIPTION,
            SecretString=secrets.token_urlsafe(36),
        )
        log.info("Created secret %s", name)
        return created["ARN"]


def bootstrap(stage: str, region: str) -> dict[str, str]:
    """Everything `chalice deploy --stage <stage>` needs around it, then the stage's settings."""
    env = stage_environment(stage)
    session = boto3.session.Session(region_name=region)
    dynamodb = session.client("dynamodb")
    ensure_table(dynamodb, env["TABLE_NAME"], True, protected(stage))
    ensure_idempotency_table(dynamodb, idempotency_table(stage), True, protected(stage))
    pool = ensure_user_pool(session.client("cognito-idp"), f"petstore-{stage}", "web", protected(stage))
    ensure_secret(session.client("secretsmanager"), env["PAGE_TOKEN_SECRET_ID"])
    web = ensure_web_stack(
        session.client("cloudformation"), session.client("logs"), stage, _deployed_api_id(stage)
    )
    values = {
        "TABLE_NAME": env["TABLE_NAME"],
        "IDEMPOTENCY_TABLE_NAME": idempotency_table(stage),
        "USER_POOL_ID": pool.pool_id,
        "USER_POOL_ARN": pool.arn,
        "APP_CLIENT_ID": pool.client_id,
        "CORS_ORIGIN": web["PageUrl"].rstrip("/"),
    }
    write_stage_environment(stage, values)
    return values


def ensure_web_stack(
    cloudformation: CloudFormationClient, logs: BaseClient, stage: str, rest_api_id: str
) -> dict[str, str]:
    """The stack around a `chalice deploy` stage; given the API's id, it also puts the web ACL in
    front of the API's stage and lets the page's CSP reach the API.

    A function deployed before the stack made its log group left one of Lambda's own behind
    (unencrypted, kept forever), which the stack could not create again: it takes that group over,
    then sets its key and retention like a group it made.
    """
    stack_name, template = f"petstore-{stage}-web", web_stack_template(stage)
    group = function_log_group_name(stage)
    if _log_group_exists(logs, group) and not stack_has_resource(
        cloudformation, stack_name, FUNCTION_LOG_GROUP
    ):
        log.info("Bringing the existing log group %s into the stack %s", group, stack_name)
        import_into_stack(cloudformation, stack_name, template, {FUNCTION_LOG_GROUP: {"LogGroupName": group}})
    return ensure_stack(cloudformation, stack_name, template, {REST_API_PARAMETER: rest_api_id})


def _log_group_exists(logs: BaseClient, name: str) -> bool:
    pages = logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name)
    return any(group.get("logGroupName") == name for page in pages for group in page.get("logGroups", []))


def configure_api(session: boto3.session.Session, stage: str) -> None:
    """After `chalice deploy`: API Gateway's own answers, the stage's limits, access log and tracing,
    a redeploy to apply the answers, then the web ACL in front of the stage."""
    apigateway, cloudformation = session.client("apigateway"), session.client("cloudformation")
    rest_api_id = chalice_deployed(stage)["rest_api_id"]
    api_stage = api_stage_name(stage)
    web = stack_outputs(cloudformation, f"petstore-{stage}-web")
    put_gateway_responses(apigateway, rest_api_id, stage_environment(stage)["CORS_ORIGIN"])
    configure_stage(
        apigateway,
        rest_api_id,
        api_stage,
        ApiLimits.for_stage(stage),
        web["ApiAccessLogGroupArn"],
        tracing(stage),
    )
    apigateway.create_deployment(restApiId=rest_api_id, stageName=api_stage)
    ensure_web_stack(cloudformation, session.client("logs"), stage, rest_api_id)
    log.info("API %s stage %s: limits, access log and web ACL in place", rest_api_id, api_stage)


def chalice_deployed(stage: str) -> dict[str, Any]:
    """What `chalice deploy` recorded about the stage: the API's id and URL."""
    record = json.loads((CHALICE_DEPLOYED / f"{stage}.json").read_text())
    return next(resource for resource in record["resources"] if resource["resource_type"] == "rest_api")


def _deployed_api_id(stage: str) -> str:
    """The API's id once `chalice deploy` has run for the stage, else empty."""
    if not (CHALICE_DEPLOYED / f"{stage}.json").exists():
        return ""
    rest_api_id: str = chalice_deployed(stage)["rest_api_id"]
    return rest_api_id


def package(stage: str, out: Path, held_back: Sequence[str] = ()) -> Path:
    """`chalice package` with the stage's merge template, finished; returns the template's path.

    ``held_back`` names table indexes to leave out this time: CloudFormation adds one global
    secondary index per stack update, so a stack made before two new indexes takes two updates.
    """
    out.mkdir(parents=True, exist_ok=True)
    merge = BUILD / f"merge-{stage}.json"
    merge.parent.mkdir(parents=True, exist_ok=True)
    merge.write_text(json.dumps(merge_template(stage), indent=2) + "\n")
    chalice = Path(sys.executable).with_name("chalice")
    # chalice package reads the region only to name things; it makes no AWS call.
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    command = [str(chalice), "package", "--stage", stage, "--merge-template", str(merge), str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own fixed command
    template_file = out / "sam.json"
    template = finish_packaged_template(json.loads(template_file.read_text()), stage)
    hold_back_indexes(template["Resources"]["PetsTable"]["Properties"], held_back)
    template_file.write_text(json.dumps(template, indent=2) + "\n")
    return template_file


def hold_back_indexes(table: dict[str, Any], names: Sequence[str]) -> None:
    """Leaves the named global secondary indexes out of a table's properties, and the attributes
    only they used (DynamoDB refuses attribute definitions no key uses)."""
    unknown = set(names) - {index["IndexName"] for index in table["GlobalSecondaryIndexes"]}
    if unknown:
        raise ValueError(f"no such index: {', '.join(sorted(unknown))}")
    table["GlobalSecondaryIndexes"] = [
        i for i in table["GlobalSecondaryIndexes"] if i["IndexName"] not in names
    ]
    keys = [
        *table["KeySchema"],
        *(key for index in table["GlobalSecondaryIndexes"] for key in index["KeySchema"]),
    ]
    used = {key["AttributeName"] for key in keys}
    table["AttributeDefinitions"] = [a for a in table["AttributeDefinitions"] if a["AttributeName"] in used]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.deploy", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, summary in (
        (
            "bootstrap",
            "table, user pool, secret, web stack (page, web ACL, access log); writes the stage's settings",
        ),
        (
            "configure-api",
            "after `chalice deploy`: CORS on API Gateway's errors, throttling, access log, X-Ray, web ACL",
        ),
        ("package", "SAM template and zip in build/<stage>/ (offline)"),
        ("reindex", "after an upgrade: give stored pets this version's index keys, recount the stock"),
        ("publish-page", "upload frontend/ and config.json, invalidate CloudFront"),
    ):
        command = commands.add_parser(name, help=summary)
        command.add_argument("--stage", required=True, choices=["dev", "prod"])
        command.add_argument(
            "--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        )
        command.add_argument("--stack", help="the SAM stack's name (publish-page); default petstore-<stage>")
        command.add_argument("--table", help="the pets table (reindex); default: the stage's TABLE_NAME")
        command.add_argument(
            "--hold-back-index",
            action="append",
            default=[],
            metavar="NAME",
            help="package: leave this table index out, for a stack update that may add only one",
        )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "package":
        print(package(args.stage, BUILD / args.stage, args.hold_back_index))
        return 0
    if not args.region:
        parser.error("--region (or AWS_REGION) is needed to talk to AWS")
    session = boto3.session.Session(region_name=args.region)
    if args.command == "bootstrap":
        print(json.dumps(bootstrap(args.stage, args.region), indent=2))
    elif args.command == "configure-api":
        configure_api(session, args.stage)
    elif args.command == "reindex":
        table = session.resource("dynamodb").Table(args.table or stage_environment(args.stage)["TABLE_NAME"])
        print(f"{PetTableUpkeep(table).reindex()} pets given new index keys; the stock is recounted")
    else:
        publish_page(
            session.client("s3"), session.client("cloudfront"), _deployed(session, args.stage, args.stack)
        )
    return 0


def _deployed(session: boto3.session.Session, stage: str, stack: str | None) -> DeployedStage:
    cloudformation = session.client("cloudformation")
    if stack or not _deployed_api_id(stage):
        return DeployedStage.from_outputs(stack_outputs(cloudformation, stack or f"petstore-{stage}"))
    # Deployed with `chalice deploy`: the API from chalice's record, the rest from the settings
    # the bootstrap wrote and the page stack.
    env = stage_environment(stage)
    outputs = {
        **stack_outputs(cloudformation, f"petstore-{stage}-web"),
        "Region": session.region_name,
        "EndpointURL": chalice_deployed(stage)["rest_api_url"],
        "UserPoolId": env["USER_POOL_ID"],
        "AppClientId": env["APP_CLIENT_ID"],
    }
    return DeployedStage.from_outputs(outputs)


if __name__ == "__main__":
    sys.exit(main())
