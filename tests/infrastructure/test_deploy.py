"""The deploy steps against moto: bootstrap options, the app client, the secret, the API's settings
(gateway responses, throttling, access log, tracing), the page upload."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.storage import table_definition
from infra.api_gateway import configure_stage, put_gateway_responses
from infra.bootstrap import APP_CLIENT_SETTINGS, REFRESH_TOKEN_HOURS, ensure_table, ensure_user_pool
from infra.deploy import ensure_secret, hold_back_indexes, write_stage_environment
from infra.publish import DeployedStage, publish_page
from infra.resources import ACCESS_LOG_FORMAT, TOO_MANY_REQUESTS, ApiLimits

REGION = "us-east-1"
OUTPUTS = {
    "Region": REGION,
    "EndpointURL": "https://abc123.execute-api.us-east-1.amazonaws.com/api/",
    "UserPoolId": "us-east-1_Pool",
    "AppClientId": "client123",
    "PageBucketName": "petstore-page",
    "PageDistributionId": "",
    "PageUrl": "https://d111.cloudfront.net/",
}


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def _distribution(cloudfront: Any) -> str:
    origin = {
        "Id": "page",
        "DomainName": "petstore-page.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    config = {
        "CallerReference": "test",
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "page", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    distribution_id: str = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    return distribution_id


def test_publish_page_uploads_the_page_and_the_deployed_config(aws: None, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Pets</title>")
    (tmp_path / "app.js").write_text("export {};")
    (tmp_path / "styles.css").write_text("body {}")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path / "config.json").write_text('{"apiBaseUrl": "http://127.0.0.1:8000"}')  # the local one
    s3, cloudfront = boto3.client("s3", region_name=REGION), boto3.client("cloudfront", region_name=REGION)
    s3.create_bucket(Bucket="petstore-page")
    stage = DeployedStage.from_outputs({**OUTPUTS, "PageDistributionId": _distribution(cloudfront)})

    keys = publish_page(s3, cloudfront, stage, tmp_path)

    assert sorted(keys) == ["app.js", "config.json", "favicon.svg", "index.html", "styles.css"]
    types = {key: s3.head_object(Bucket="petstore-page", Key=key)["ContentType"] for key in keys}
    assert types["index.html"] == "text/html"
    assert types["app.js"].startswith("text/javascript") and types["styles.css"] == "text/css"
    assert types["favicon.svg"] == "image/svg+xml" and types["config.json"] == "application/json"
    config = json.loads(s3.get_object(Bucket="petstore-page", Key="config.json")["Body"].read())
    assert config == {
        "apiBaseUrl": "https://abc123.execute-api.us-east-1.amazonaws.com/api",
        "region": REGION,
        "userPoolId": "us-east-1_Pool",
        "clientId": "client123",
        "cognitoEndpoint": "https://cognito-idp.us-east-1.amazonaws.com/",
    }
    invalidations = cloudfront.list_invalidations(DistributionId=stage.distribution_id)["InvalidationList"]
    assert invalidations["Quantity"] == 1


def test_publish_page_refuses_a_folder_without_the_page(aws: None, tmp_path: Path) -> None:
    s3, cloudfront = boto3.client("s3", region_name=REGION), boto3.client("cloudfront", region_name=REGION)
    s3.create_bucket(Bucket="petstore-page")
    with pytest.raises(SystemExit, match=r"index\.html"):
        publish_page(s3, cloudfront, DeployedStage.from_outputs(OUTPUTS), tmp_path)
    assert s3.list_objects_v2(Bucket="petstore-page")["KeyCount"] == 0


def test_deployed_stages_get_point_in_time_recovery_and_prod_deletion_protection(aws: None) -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    ensure_table(dynamodb, "PetStore-prod", point_in_time_recovery=True, deletion_protection=True)
    ensure_table(dynamodb, "PetStore-prod", point_in_time_recovery=True, deletion_protection=True)
    assert dynamodb.describe_table(TableName="PetStore-prod")["Table"]["DeletionProtectionEnabled"]
    backups = dynamodb.describe_continuous_backups(TableName="PetStore-prod")["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    ensure_table(dynamodb, "PetStore-dev")
    assert not dynamodb.describe_table(TableName="PetStore-dev")["Table"].get(
        "DeletionProtectionEnabled", False
    )
    cognito = boto3.client("cognito-idp", region_name=REGION)
    pool = ensure_user_pool(cognito, "petstore-prod", "web", deletion_protection=True)
    assert cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["DeletionProtection"] == "ACTIVE"


def test_the_secret_is_created_once_and_random(aws: None) -> None:
    secretsmanager = boto3.client("secretsmanager", region_name=REGION)
    first = ensure_secret(secretsmanager, "petstore/dev/page-token-secret")
    value = secretsmanager.get_secret_value(SecretId=first)["SecretString"]
    assert ensure_secret(secretsmanager, "petstore/dev/page-token-secret") == first
    assert secretsmanager.get_secret_value(SecretId=first)["SecretString"] == value and len(value) >= 32


def _deployed_api(apigateway: Any) -> str:
    """A REST API with one method, deployed to the stage `api`, as `chalice deploy` leaves it."""
    api: str = apigateway.create_rest_api(name="petstore")["id"]
    root = apigateway.get_resources(restApiId=api)["items"][0]["id"]
    apigateway.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    apigateway.create_deployment(restApiId=api, stageName="api")
    return api


def test_gateway_responses_carry_the_page_origin_and_the_app_headers(aws: None) -> None:
    import app

    apigateway = boto3.client("apigateway", region_name=REGION)
    api = _deployed_api(apigateway)
    put_gateway_responses(apigateway, api, "https://d111.cloudfront.net")
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"):
        response = apigateway.get_gateway_response(restApiId=api, responseType=kind)
        headers = response["responseParameters"]
        assert (
            headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "'https://d111.cloudfront.net'"
        )
        assert headers["gatewayresponse.header.Access-Control-Allow-Headers"] == f"'{app.CORS.allow_headers}'"
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        template = apigateway.get_gateway_response(restApiId=api, responseType=kind)["responseTemplates"]
        assert '"message":$context.error.messageString' in template["application/json"]


def test_throttling_answers_429_in_the_api_shape(aws: None) -> None:
    apigateway = boto3.client("apigateway", region_name=REGION)
    api = _deployed_api(apigateway)
    put_gateway_responses(apigateway, api, "https://d111.cloudfront.net")
    throttled = apigateway.get_gateway_response(restApiId=api, responseType="THROTTLED")
    assert throttled["statusCode"] == "429"
    assert json.loads(throttled["responseTemplates"]["application/json"]) == TOO_MANY_REQUESTS
    assert throttled["responseParameters"]["gatewayresponse.header.Retry-After"] == "'1'"


@pytest.mark.parametrize(("stage", "traced"), [("prod", True), ("dev", False)])
def test_the_stage_gets_its_throttling_access_log_and_tracing(aws: None, stage: str, traced: bool) -> None:
    apigateway = boto3.client("apigateway", region_name=REGION)
    api = _deployed_api(apigateway)
    limits = ApiLimits.for_stage(stage)
    log_group = f"arn:aws:logs:{REGION}:123456789012:log-group:/aws/apigateway/petstore-{stage}/access"
    configure_stage(apigateway, api, "api", limits, log_group, traced)
    settings = apigateway.get_stage(restApiId=api, stageName="api")
    every_method = settings["methodSettings"]["*/*"]
    assert every_method["throttlingRateLimit"] == limits.rate_limit
    assert every_method["throttlingBurstLimit"] == limits.burst_limit
    assert settings["accessLogSettings"] == {"destinationArn": log_group, "format": ACCESS_LOG_FORMAT}
    assert settings["tracingEnabled"] is traced


def test_the_app_client_revokes_on_logout_and_refreshes_for_hours(aws: None) -> None:
    cognito = boto3.client("cognito-idp", region_name=REGION)
    pool = ensure_user_pool(cognito, "petstore-dev", "web")
    client = cognito.describe_user_pool_client(UserPoolId=pool.pool_id, ClientId=pool.client_id)[
        "UserPoolClient"
    ]
    assert client["EnableTokenRevocation"] is True
    assert client["RefreshTokenValidity"] == REFRESH_TOKEN_HOURS
    assert client["TokenValidityUnits"]["RefreshToken"] == "hours"


def test_the_bootstrap_brings_an_older_app_client_up_to_date(aws: None) -> None:
    cognito = boto3.client("cognito-idp", region_name=REGION)
    pool_id = cognito.create_user_pool(PoolName="petstore-dev")["UserPool"]["Id"]
    older = {**APP_CLIENT_SETTINGS, "EnableTokenRevocation": False, "RefreshTokenValidity": 30}
    older["TokenValidityUnits"] = {**older["TokenValidityUnits"], "RefreshToken": "days"}
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **older)[
        "UserPoolClient"
    ]["ClientId"]
    pool = ensure_user_pool(cognito, "petstore-dev", "web")
    assert pool.client_id == client_id
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert client["EnableTokenRevocation"] is True
    assert (client["RefreshTokenValidity"], client["TokenValidityUnits"]["RefreshToken"]) == (
        REFRESH_TOKEN_HOURS,
        "hours",
    )
    assert set(client["ExplicitAuthFlows"]) == set(APP_CLIENT_SETTINGS["ExplicitAuthFlows"])


def test_the_bootstrap_writes_only_the_stage_settings(tmp_path: Path) -> None:
    config_file = tmp_path / "config.json"
    config_file.write_text(
        json.dumps({"stages": {"dev": {"environment_variables": {"STAGE": "dev"}}, "prod": {}}})
    )
    write_stage_environment(
        "dev", {"USER_POOL_ID": "us-east-1_X", "CORS_ORIGIN": "https://d1.net"}, config_file
    )
    config = json.loads(config_file.read_text())
    assert config["stages"]["dev"]["environment_variables"] == {
        "STAGE": "dev",
        "USER_POOL_ID": "us-east-1_X",
        "CORS_ORIGIN": "https://d1.net",
    }
    assert config["stages"]["prod"] == {}


def test_an_index_can_be_held_back_for_a_stack_that_adds_one_per_update() -> None:
    table = table_definition("PetStore-prod")
    hold_back_indexes(table, ["breed-age"])
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == [
        "type-price", "type-age", "breed-price", "catalog-price", "catalog-age", "name",
    ]  # fmt: skip
    assert "breed_key" in {a["AttributeName"] for a in table["AttributeDefinitions"]}  # breed-price uses it
    hold_back_indexes(table, ["breed-price"])
    assert "breed_key" not in {a["AttributeName"] for a in table["AttributeDefinitions"]}
    with pytest.raises(ValueError, match="no such index: bred-age"):
        hold_back_indexes(table, ["bred-age"])
