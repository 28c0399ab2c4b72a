"""Route tests through chalice.test.Client, with DynamoDB in-process and tokens signed here."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from chalice.test import Client

import app as petstore
from chalicelib.adapters.storage import DynamoPetStore
from tests.support.keys import CLIENT_ID, ISSUER, POOL_ID, SigningKey
from tests.support.numbers import ACCEPTED_NUMBERS, REFUSED_NUMBERS, pet_with
from tests.support.recorder import Recorder
from tests.support.routes import body, headers

PROJECT_DIR = Path(__file__).resolve().parents[2]
NEW_PET = {"name": "Rex", "type": "dog", "breed": "Boxer", "age": 2, "price": 300}


def test_list_pets(client: Client, shopper: dict[str, str]) -> None:
    response = client.http.get("/pets?limit=5", headers=shopper)
    assert response.status_code == 200
    answer = body(response)
    assert len(answer["pets"]) == 5 and answer["next_token"]


def test_get_pet(client: Client, shopper: dict[str, str]) -> None:
    response = client.http.get("/pets/1", headers=shopper)
    assert response.status_code == 200 and body(response)["name"] == "Buddy"


def test_absent_pet_is_404(client: Client, shopper: dict[str, str]) -> None:
    response = client.http.get("/pets/nope", headers=shopper)
    assert response.status_code == 404 and body(response)["error"] == "not_found"


def test_staff_adds_a_pet(client: Client, staff: dict[str, str]) -> None:
    response = client.http.post("/pets", headers=staff, body=json.dumps({**NEW_PET, "price": 299.99}))
    assert response.status_code == 201
    pet = body(response)
    assert pet["price"] == 299.99 and response.headers["Location"] == f"/pets/{pet['id']}"
    assert body(client.http.get(f"/pets/{pet['id']}", headers=staff)) == pet


def test_a_new_pets_type_is_kept_in_the_stores_word(client: Client, staff: dict[str, str]) -> None:
    response = client.http.post("/pets", headers=staff, body=json.dumps({**NEW_PET, "type": "Puppy"}))
    assert response.status_code == 201 and body(response)["type"] == "dog"


def test_a_shopper_may_not_add(client: Client, shopper: dict[str, str]) -> None:
    response = client.http.post("/pets", headers=shopper, body=json.dumps(NEW_PET))
    assert response.status_code == 403 and body(response)["error"] == "forbidden"


@pytest.mark.parametrize(
    ("raw", "status", "mentions"),
    [
        ("", 400, "empty"),
        ("{not json", 400, "JSON"),
        (json.dumps({**NEW_PET, "price": "cheap"}), 400, "price"),
        (json.dumps({**NEW_PET, "age": -3}), 400, "age"),
        (json.dumps({**NEW_PET, "colour": "red"}), 400, "colour"),
        (json.dumps({**NEW_PET, "name": "x" * 5000}), 413, "bytes"),
    ],
)
def test_bad_pets_are_refused_and_nothing_is_stored(
    client: Client, staff: dict[str, str], raw: str, status: int, mentions: str
) -> None:
    before = len(body(client.http.get("/pets?limit=100", headers=staff))["pets"])
    response = client.http.post("/pets", headers=staff, body=raw)
    assert response.status_code == status
    assert mentions in body(response)["message"]
    assert len(body(client.http.get("/pets?limit=100", headers=staff))["pets"]) == before


def stored_count(table: Any) -> int:
    return int(table.scan(Select="COUNT")["Count"])


@pytest.mark.parametrize("field", ["age", "price"])
@pytest.mark.parametrize("number", REFUSED_NUMBERS)
def test_numbers_that_cannot_be_stored_are_400_naming_the_field(
    client: Client, staff: dict[str, str], table: Any, field: str, number: str
) -> None:
    before = stored_count(table)
    response = client.http.post("/pets", headers=staff, body=pet_with(NEW_PET, field, number))
    assert response.status_code == 400, response.body
    assert body(response)["error"] == "invalid_input"
    assert body(response)["message"].startswith(f"{field}: ")
    assert stored_count(table) == before


@pytest.mark.parametrize("field", ["age", "price"])
@pytest.mark.parametrize(("number", "value"), ACCEPTED_NUMBERS)
def test_numbers_are_stored_to_the_hundredth(
    client: Client, staff: dict[str, str], table: Any, field: str, number: str, value: str
) -> None:
    response = client.http.post("/pets", headers=staff, body=pet_with(NEW_PET, field, number))
    assert response.status_code == 201, response.body
    pet = body(response)
    assert pet[field] == json.loads(value)
    item = table.get_item(Key={"id": pet["id"]})["Item"]
    assert item[field] == Decimal(value) and not item[field].is_signed()


@pytest.mark.parametrize("number", ["1e1000000000000000000", "NaN", "-Infinity"])
def test_a_question_with_a_number_that_is_not_one_is_400_naming_the_field(
    client: Client, shopper: dict[str, str], number: str
) -> None:
    raw = '{"query": "dogs", "limit": NUMBER}'.replace("NUMBER", number)
    response = client.http.post("/pets/query", headers=shopper, body=raw)
    assert response.status_code == 400 and body(response)["message"].startswith("limit: ")


@pytest.mark.parametrize("path", ["/pets", "/pets/1"])
def test_no_token_is_401(client: Client, path: str) -> None:
    response = client.http.get(path)
    assert response.status_code == 401 and body(response)["error"] == "unauthorized"


def test_an_expired_token_is_401(client: Client, signing_key: SigningKey) -> None:
    response = client.http.get("/pets", headers=headers(signing_key.token(exp=1)))
    assert response.status_code == 401


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "next_token=forged.token", "limit=1000"])
def test_bad_listing_parameters_are_400(client: Client, shopper: dict[str, str], query: str) -> None:
    response = client.http.get(f"/pets?{query}", headers=shopper)
    assert response.status_code == 400 and body(response)["message"]


def test_a_storage_outage_is_503(
    client: Client, shopper: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Config(connect_timeout=1, retries={"total_max_attempts": 1})
    dynamodb = boto3.resource(
        "dynamodb", region_name="us-east-1", endpoint_url="http://127.0.0.1:9", config=config
    )
    monkeypatch.setattr(petstore, "pet_store", lambda: DynamoPetStore(dynamodb.Table("PetStore")))
    response = client.http.get("/pets/1", headers=shopper)
    assert response.status_code == 503 and body(response)["error"] == "service_unavailable"


def test_a_missing_table_is_a_configuration_error_not_an_outage(
    client: Client, shopper: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = boto3.resource("dynamodb", region_name="us-east-1").Table("NoSuchTable")
    monkeypatch.setattr(petstore, "pet_store", lambda: DynamoPetStore(missing))
    response = client.http.get("/pets/1", headers=shopper)
    assert response.status_code == 500 and body(response)["error"] == "not_configured"


def test_an_unexpected_failure_is_a_json_500_without_traceback(
    client: Client, shopper: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(petstore, "pet_store", broken)
    response = client.http.get("/pets/1", headers=shopper)
    assert response.status_code == 500
    assert "secret internals" not in response.body.decode() and body(response)["error"] == "internal_error"


def test_in_deployed_stages_a_request_without_gateway_claims_is_401(
    client: Client, shopper: dict[str, str]
) -> None:
    # Deployed stages trust API Gateway's authorizer; a request that reaches the handler without
    # its claims (a misconfigured route) must still be refused, whatever token it carries.
    with Client(petstore.app, stage_name="dev") as deployed:
        response = deployed.http.get("/pets/1", headers=shopper)
    assert response.status_code == 401


@pytest.fixture
def key_set_server(
    store: DynamoPetStore, signing_key: SigningKey, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Recorder]:
    """The user pool's key set served on loopback, where the app's own verifier fetches it."""
    with Recorder(200, json.dumps(signing_key.jwks()).encode()) as server:
        monkeypatch.setenv("USER_POOL_ID", POOL_ID)
        monkeypatch.setenv("APP_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDP", server.url)
        monkeypatch.setattr("chalicelib.adapters.aws.cognito_issuer", lambda region, pool: ISSUER)
        petstore._token_verifier.cache_clear()
        petstore._dynamodb.cache_clear()
        yield server
        petstore._token_verifier.cache_clear()
        petstore._dynamodb.cache_clear()


@pytest.mark.parametrize(
    ("status", "served"),
    [(200, b"<html>Bad gateway</html>"), (200, b'{"keys": []}'), (200, b'{"keys": [{"kty": "XYZ"}]}'),
     (500, b"{}")],
    ids=["not-json", "no-keys", "no-usable-key", "error-status"],
)  # fmt: skip
def test_a_malformed_or_failing_key_set_is_a_503_in_the_api_shape(
    key_set_server: Recorder, signing_key: SigningKey, status: int, served: bytes
) -> None:
    key_set_server.status, key_set_server.body = status, served
    with Client(petstore.app, stage_name="local") as local:
        response = local.http.get("/pets/1", headers=headers(signing_key.token()))
    assert response.status_code == 503, response.body
    assert body(response)["error"] == "service_unavailable" and "retry" in body(response)["message"]
    assert key_set_server.requests[0].path == f"/{POOL_ID}/.well-known/jwks.json"


def test_an_unreachable_key_set_is_a_503(
    key_set_server: Recorder, signing_key: SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDP", "http://127.0.0.1:9")
    with Client(petstore.app, stage_name="local") as local:
        response = local.http.get("/pets/1", headers=headers(signing_key.token()))
    assert response.status_code == 503 and body(response)["error"] == "service_unavailable"


def test_the_key_set_served_well_lets_a_good_token_in_and_keeps_a_forged_one_out(
    key_set_server: Recorder, signing_key: SigningKey
) -> None:
    with Client(petstore.app, stage_name="local") as local:
        assert local.http.get("/pets/1", headers=headers(signing_key.token())).status_code == 200
        forged = local.http.get("/pets/1", headers=headers(SigningKey(kid=signing_key.kid).token()))
    assert forged.status_code == 401 and body(forged)["error"] == "unauthorized"


def test_a_deployed_stage_starts_without_pyjwt() -> None:
    # API Gateway checks tokens there: PyJWT and cryptography would only lengthen the cold start.
    environment = {**os.environ, "STAGE": "prod", "VERIFY_TOKENS": "false", "PAGE_TOKEN_SECRET": "x" * 24}
    code = "import sys, app; print(sorted({m.split('.')[0] for m in sys.modules} & {'jwt', 'cryptography'}))"
    loaded = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=environment, capture_output=True, text=True
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_responses_carry_the_configured_cors_origin(client: Client, shopper: dict[str, str]) -> None:
    response = client.http.get("/pets/1", headers=shopper)
    assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8080"


@pytest.fixture
def agent(signing_key: SigningKey) -> dict[str, str]:
    token = signing_key.token(
        "agent", token_use="access", aud=None, client_id="agent-client", scope="petstore/agent",
        **{"cognito:username": None},
    )  # fmt: skip
    return headers(token)


def test_agents_read_and_ask_on_their_routes(client: Client, agent: dict[str, str]) -> None:
    assert body(client.http.get("/agent/pets?limit=2", headers=agent))["pets"]
    assert body(client.http.get("/agent/pets/1", headers=agent))["name"] == "Buddy"
    answer = client.http.post("/agent/pets/query", headers=agent, body=json.dumps({"query": "cats"}))
    assert answer.status_code == 200 and body(answer)["filters"] == {"type_filter": "cat"}


def test_agents_may_not_write(client: Client, agent: dict[str, str]) -> None:
    assert client.http.post("/agent/pets", headers=agent, body=json.dumps(NEW_PET)).status_code == 405
    assert client.http.post("/pets", headers=agent, body=json.dumps(NEW_PET)).status_code == 401


def test_people_and_agents_each_use_their_own_routes(
    client: Client, agent: dict[str, str], shopper: dict[str, str]
) -> None:
    assert client.http.get("/agent/pets", headers=shopper).status_code == 401
    assert client.http.get("/pets", headers=agent).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "content_type", "status", "code"),
    [
        ("DELETE", "/pets/1", "application/json", 405, "method_not_allowed"),
        ("POST", "/pets", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_chalices_own_refusals_have_the_api_error_shape(
    client: Client, staff: dict[str, str], method: str, path: str, content_type: str, status: int, code: str
) -> None:
    response = client.http.request(
        method, path, headers={**staff, "content-type": content_type}, body=json.dumps(NEW_PET)
    )
    assert response.status_code == status
    assert (
        body(response) == {"error": code, "message": body(response)["message"]} and body(response)["message"]
    )
