"""Deploying to AWS: bootstrap a `chalice deploy` stage, package a SAM template, publish the page."""

from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import boto3

from infra.bootstrap import ensure_table, ensure_user_pool
from infra.resources import (
    CHALICE_CONFIG,
    ROOT,
    finish_packaged_template,
    gateway_responses,
    merge_template,
    protected,
    stage_environment,
    web_stack_template,
)

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient
    from mypy_boto3_apigateway.literals import GatewayResponseTypeType
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_cloudfront import CloudFrontClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient

log = logging.getLogger(__name__)

BUILD = ROOT / "build"
FRONTEND = ROOT / "frontend"
API_STAGE = "api"
# The page changes with each release: the browser revalidates it; CloudFront is invalidated.
PAGE_CACHE_CONTROL = "no-cache"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class DeployedStage:
    """Where a deployed stage's parts are: what the page's config.json and the upload need."""

    region: str
    api_base_url: str
    user_pool_id: str
    client_id: str
    bucket: str
    distribution_id: str
    page_url: str

    @classmethod
    def from_outputs(cls, outputs: Mapping[str, str]) -> DeployedStage:
        return cls(
            region=outputs["Region"],
            api_base_url=outputs["EndpointURL"],
            user_pool_id=outputs["UserPoolId"],
            client_id=outputs["AppClientId"],
            bucket=outputs["PageBucketName"],
            distribution_id=outputs["PageDistributionId"],
            page_url=outputs["PageUrl"],
        )

    @property
    def page_origin(self) -> str:
        return self.page_url.rstrip("/")

    def page_config(self) -> dict[str, str]:
        """The page's config.json (see the contract): the deployed API and the region's Cognito."""
        return {
            "apiBaseUrl": self.api_base_url.rstrip("/"),
            "region": self.region,
            "userPoolId": self.user_pool_id,
            "clientId": self.client_id,
            "cognitoEndpoint": f"https://cognito-idp.{self.region}.amazonaws.com/",
        }


def stack_outputs(cloudformation: CloudFormationClient, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix)
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def publish_page(
    s3: S3Client, cloudfront: CloudFrontClient, stage: DeployedStage, frontend: Path = FRONTEND
) -> list[str]:
    """Uploads the page and its config.json, then invalidates CloudFront; returns the keys written."""
    files = sorted(path for path in frontend.rglob("*") if path.is_file() and path.name != "config.json")
    if not any(path.name == "index.html" for path in files):
        raise SystemExit(f"{frontend} has no index.html: nothing to publish")
    keys = []
    for path in files:
        key = path.relative_to(frontend).as_posix()
        s3.put_object(
            Bucket=stage.bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=content_type(path),
            CacheControl=PAGE_CACHE_CONTROL,
        )
        keys.append(key)
    s3.put_object(
        Bucket=stage.bucket,
        Key="config.json",
        Body=json.dumps(stage.page_config(), indent=2).encode(),
        ContentType="application/json",
        CacheControl=PAGE_CACHE_CONTROL,
    )
    keys.append("config.json")
    cloudfront.create_invalidation(
        DistributionId=stage.distribution_id,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time_ns())},
    )
    log.info("Published %d files to s3://%s; the page is at %s", len(keys), stage.bucket, stage.page_url)
    return keys


def write_stage_environment(
    stage: str, values: Mapping[str, str], config_file: Path = CHALICE_CONFIG
) -> None:
    """Sets the stage's environment_variables in .chalice/config.json, keeping everything else."""
    config = json.loads(config_file.read_text())
    config["stages"][stage].setdefault("environment_variables", {}).update(values)
    config_file.write_text(json.dumps(config, indent=2) + "\n")


def ensure_secret(secretsmanager: SecretsManagerClient, name: str) -> str:
    """The stage's page-token secret, created with a random value unless it exists; returns its ARN."""
    try:
        return secretsmanager.describe_secret(SecretId=name)["ARN"]
    except secretsmanager.exceptions.ResourceNotFoundException:
        created = secretsmanager.create_secret(
            Name=name,
            Description="Signs the pet store's pagination tokens",
            SecretString=secrets.token_urlsafe(36),
        )
        log.info("Created secret %s", name)
        return created["ARN"]


def ensure_stack(
    cloudformation: CloudFormationClient, stack_name: str, template: dict[str, Any]
) -> dict[str, str]:
    """Creates or updates a stack and waits for it; returns its outputs."""
    body = json.dumps(template)
    try:
        cloudformation.describe_stacks(StackName=stack_name)
    except cloudformation.exceptions.ClientError:
        cloudformation.create_stack(StackName=stack_name, TemplateBody=body)
        cloudformation.get_waiter("stack_create_complete").wait(StackName=stack_name)
    else:
        try:
            cloudformation.update_stack(StackName=stack_name, TemplateBody=body)
            cloudformation.get_waiter("stack_update_complete").wait(StackName=stack_name)
        except cloudformation.exceptions.ClientError as error:
            if "No updates are to be performed" not in str(error):
                raise
    return stack_outputs(cloudformation, stack_name)


def bootstrap(stage: str, region: str) -> dict[str, str]:
    """Everything `chalice deploy --stage <stage>` needs around it, then the stage's settings."""
    env = stage_environment(stage)
    session = boto3.session.Session(region_name=region)
    ensure_table(session.client("dynamodb"), env["TABLE_NAME"], True, protected(stage))
    pool = ensure_user_pool(session.client("cognito-idp"), f"petstore-{stage}", "web", protected(stage))
    ensure_secret(session.client("secretsmanager"), env["PAGE_TOKEN_SECRET_ID"])
    web = ensure_stack(session.client("cloudformation"), f"petstore-{stage}-web", web_stack_template(stage))
    values = {
        "TABLE_NAME": env["TABLE_NAME"],
        "USER_POOL_ID": pool.pool_id,
        "USER_POOL_ARN": pool.arn,
        "APP_CLIENT_ID": pool.client_id,
        "CORS_ORIGIN": web["PageUrl"].rstrip("/"),
    }
    write_stage_environment(stage, values)
    return values


def put_gateway_responses(apigateway: APIGatewayClient, rest_api_id: str, page_origin: str) -> None:
    """The template's GatewayResponses for an API `chalice deploy` made, then a redeploy to apply them."""
    for kind, response in gateway_responses().items():
        parameters = {
            header: value if isinstance(value, str) else f"'{page_origin}'"
            for header, value in response["responseParameters"].items()
        }
        apigateway.put_gateway_response(
            restApiId=rest_api_id,
            responseType=cast("GatewayResponseTypeType", kind),
            responseParameters=parameters,
            responseTemplates=response["responseTemplates"],
        )
    apigateway.create_deployment(restApiId=rest_api_id, stageName=API_STAGE)


def chalice_deployed(stage: str) -> dict[str, Any]:
    """What `chalice deploy` recorded about the stage: the API's id and URL."""
    record = json.loads((ROOT / ".chalice" / "deployed" / f"{stage}.json").read_text())
    return next(resource for resource in record["resources"] if resource["resource_type"] == "rest_api")


def package(stage: str, out: Path) -> Path:
    """`chalice package` with the stage's merge template, finished; returns the template's path."""
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
    template_file.write_text(json.dumps(template, indent=2) + "\n")
    return template_file


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.deploy", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, summary in (
        (
            "bootstrap",
            "table, user pool, secret, page stack; writes the stage's settings (chalice deploy path)",
        ),
        ("gateway-responses", "CORS headers on API Gateway's own errors, after `chalice deploy`"),
        ("package", "SAM template and zip in build/<stage>/ (offline)"),
        ("publish-page", "upload frontend/ and config.json, invalidate CloudFront"),
    ):
        command = commands.add_parser(name, help=summary)
        command.add_argument("--stage", required=True, choices=["dev", "prod"])
        command.add_argument(
            "--region", default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        )
        command.add_argument("--stack", help="the SAM stack's name (publish-page); default petstore-<stage>")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "package":
        print(package(args.stage, BUILD / args.stage))
        return 0
    if not args.region:
        parser.error("--region (or AWS_REGION) is needed to talk to AWS")
    session = boto3.session.Session(region_name=args.region)
    if args.command == "bootstrap":
        print(json.dumps(bootstrap(args.stage, args.region), indent=2))
    elif args.command == "gateway-responses":
        origin = stage_environment(args.stage)["CORS_ORIGIN"]
        put_gateway_responses(
            session.client("apigateway"), chalice_deployed(args.stage)["rest_api_id"], origin
        )
    else:
        publish_page(
            session.client("s3"), session.client("cloudfront"), _deployed(session, args.stage, args.stack)
        )
    return 0


def _deployed(session: boto3.session.Session, stage: str, stack: str | None) -> DeployedStage:
    cloudformation = session.client("cloudformation")
    if stack or not (ROOT / ".chalice" / "deployed" / f"{stage}.json").exists():
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
