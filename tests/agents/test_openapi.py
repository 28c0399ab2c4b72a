"""The generated OpenAPI description: complete, valid, and true to the route table."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openapi_spec_validator import validate

import app
from agents import openapi
from chalicelib.adapters.auth import AGENT_SCOPE
from chalicelib.domain.pets import NewPet
from chalicelib.service.suggestions import MAX_SUGGESTIONS
from chalicelib.web.inputs import MAX_BODY_BYTES
from chalicelib.web.paging import MAX_TOKEN_CHARS

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi.build(app.app, "https://api.example.com/prod/")


@pytest.fixture(scope="module")
def agents_document() -> dict[str, Any]:
    return openapi.build(app.app, "https://api.example.com/prod/", agents=True)


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method.upper()): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_every_route_is_described_once_and_nothing_else(
    document: dict[str, Any], agents_document: dict[str, Any]
) -> None:
    routes = {
        (path, method): entry
        for path, methods in app.app.routes.items()
        for method, entry in methods.items()
        if method != "OPTIONS"
    }
    people, agents = operations(document), operations(agents_document)
    assert not set(people) & set(agents)
    described = people | agents
    assert set(described) == set(routes)
    for key, entry in routes.items():
        docstring = " ".join((entry.view_function.__doc__ or "").split())
        assert docstring, f"{key} has no docstring to describe it with"
        assert described[key]["description"] == docstring
        assert described[key]["operationId"] == openapi.operation_for(entry.view_name).operation_id


def test_the_known_routes_have_their_names(document: dict[str, Any]) -> None:
    ids = {key: operation["operationId"] for key, operation in operations(document).items()}
    assert ids[("/pets", "GET")] == "ListPets"
    assert ids[("/pets/{petId}", "GET")] == "GetPet"
    assert ids[("/pets", "POST")] == "AddPet"
    if ("/pets/query", "POST") in ids:
        assert ids[("/pets/query", "POST")] == "QueryPets"


def test_operation_ids_are_unique(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for operation in operations(document).values()]
    assert len(ids) == len(set(ids))


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)  # raises on the first problem
    assert document["servers"] == [{"url": "https://api.example.com/prod"}]


def test_parameters_bodies_and_errors(document: dict[str, Any]) -> None:
    listing = document["paths"]["/pets"]["get"]
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert (limit["in"], limit["schema"]["minimum"], limit["schema"]["maximum"]) == ("query", 1, 100)
    assert {p["name"] for p in listing["parameters"]} == {"limit", "next_token"}
    next_token = next(p for p in listing["parameters"] if p["name"] == "next_token")
    assert next_token["schema"] == {"type": "string", "maxLength": MAX_TOKEN_CHARS}
    one = document["paths"]["/pets/{petId}"]["get"]
    assert one["parameters"][0] | {"schema": None} == {
        "name": "petId", "in": "path", "required": True, "description": "The pet's id", "schema": None,
    }  # fmt: skip
    assert "404" in one["responses"]
    adding = document["paths"]["/pets"]["post"]
    assert set(adding["responses"]) == {"201", "400", "401", "403", "409", "413", "415", "422", "429", "503"}
    assert set(listing["responses"]) == {"200", "400", "401", "414", "429", "503"}
    assert set(one["responses"]) == {"200", "400", "401", "404", "429", "503"}
    body = adding["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    schema = document["components"]["schemas"][body]
    assert set(schema["required"]) == set(NewPet.model_fields)
    assert schema["properties"]["price"] == {
        "type": "number", "title": "Price", "minimum": 0, "maximum": 1_000_000,
        "description": "At most two decimals",
    }  # fmt: skip
    assert schema["additionalProperties"] is False
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "message"}


def test_every_answer_and_error_has_a_json_schema(document: dict[str, Any]) -> None:
    for key, operation in operations(document).items():
        for status, answer in operation["responses"].items():
            if int(status) in openapi.SERVER_ANSWERS:
                # answered by the web server before the app: its own page, not the API's JSON
                assert answer["content"] == {"text/html": {"schema": {"type": "string"}}}, key
                continue
            schema = answer["content"]["application/json"]["schema"]
            if int(status) >= 400:
                assert schema == {"$ref": "#/components/schemas/Error"}, key
            else:
                assert schema["$ref"].startswith("#/components/schemas/"), key


def test_answers_hold_exactly_their_fields(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in ("Error", "Pet", "PetPage", "PetQueryAnswer", "Suggestion"):
        assert schemas[name]["additionalProperties"] is False, name
    answer = schemas["PetQueryAnswer"]["properties"]
    assert answer["source"]["enum"] == ["bedrock", "keyword"]
    assert answer["suggestions"]["maxItems"] == MAX_SUGGESTIONS


def test_a_question_may_be_refused_for_its_size_or_its_content_type(document: dict[str, Any]) -> None:
    asking = document["paths"]["/pets/query"]["post"]
    assert set(asking["responses"]) == {"200", "400", "401", "413", "415", "429", "503"}
    assert str(MAX_BODY_BYTES) in asking["responses"]["413"]["description"]


def test_the_security_scheme_is_cognito(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["CognitoUserPool"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert scheme["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    assert document["security"] == [{"CognitoUserPool": []}]


def test_the_query_operation_is_ready_for_its_route() -> None:
    class QueryRoutes:
        def __init__(self) -> None:
            def query_pets() -> None:
                """Answer a question in plain words with matching pets."""

            entry = SimpleNamespace(view_name="query_pets", view_function=query_pets, view_args=[])
            self.routes = {"/pets/query": {"POST": entry, "OPTIONS": entry}}

    document = openapi.build(QueryRoutes())
    validate(document)
    operation = document["paths"]["/pets/query"]["post"]
    assert operation["operationId"] == "QueryPets"
    schemas = document["components"]["schemas"]
    assert schemas["QueryRequest"]["required"] == ["query"]
    assert schemas["QueryRequest"]["additionalProperties"] is False
    assert set(schemas["PetQueryAnswer"]["required"]) == {
        "query", "filters", "source", "summary", "pets", "next_token", "unmatched", "suggestions",
        "relaxed", "corrected",
    }  # fmt: skip
    for name in ("min_price", "types", "exclude_types", "breeds", "exclude_breeds"):
        assert name in schemas["PetFilters"]["properties"]
    assert "context" in schemas["QueryRequest"]["properties"]
    assert schemas["Suggestion"]["required"] == ["query", "filters"]


def test_an_unmapped_view_gets_its_name_in_pascal_case() -> None:
    assert openapi.operation_for("list_pet_photos").operation_id == "ListPetPhotos"


def test_main_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "openapi.json"
    assert openapi.main([str(target)]) == 0
    written = json.loads(target.read_text())
    assert written["paths"].keys() == openapi.build(app.app)["paths"].keys()


AGENTCORE = Path(openapi.__file__).parent / "agentcore"


def agentcore(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((AGENTCORE / name).read_text())
    return loaded


def test_the_agentcore_files_agree_on_the_scope_and_provider() -> None:
    server = agentcore("cognito-resource-server.json")
    scopes = {f"{server['Identifier']}/{scope['ScopeName']}" for scope in server["Scopes"]}
    client = agentcore("cognito-agent-client.json")
    assert client["AllowedOAuthFlows"] == ["client_credentials"] and client["GenerateSecret"] is True
    assert set(client["AllowedOAuthScopes"]) <= scopes
    provider = agentcore("oauth2-credential-provider.json")
    target = agentcore("gateway-target.json")
    oauth = target["credentialProviderConfigurations"][0]["credentialProvider"]["oauthCredentialProvider"]
    assert oauth["providerArn"].endswith("/oauth2credentialprovider/" + provider["name"])
    assert set(oauth["scopes"]) == set(client["AllowedOAuthScopes"])
    assert target["targetConfiguration"]["mcp"]["openApiSchema"]["s3"]["uri"].endswith("/openapi-agents.json")
    assert scopes == {AGENT_SCOPE}


def test_the_agents_document_has_the_read_only_routes_under_their_names(
    agents_document: dict[str, Any],
) -> None:
    validate(agents_document)
    ids = {key: operation["operationId"] for key, operation in operations(agents_document).items()}
    assert ids == {
        ("/agent/pets", "GET"): "ListPets",
        ("/agent/pets/{petId}", "GET"): "GetPet",
        ("/agent/pets/query", "POST"): "QueryPets",
    }
    assert (
        "petstore/agent" in agents_document["components"]["securitySchemes"]["CognitoUserPool"]["description"]
    )


def test_the_people_document_has_no_agent_routes(document: dict[str, Any]) -> None:
    assert not [path for path in document["paths"] if path.startswith("/agent")]
