"""The MCP server over stdio as an agent starts it, on the real local stack, and its API client."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp_types import CallToolResult, TextContent

from agents import mcp_server
from chalicelib.web.paging import MAX_TOKEN_CHARS
from chalicelib.web.query_route import MAX_QUESTION_CHARS
from localdev.stack import LocalStack

PROJECT_DIR = Path(__file__).resolve().parents[2]
TRANSCRIPT_DIR = PROJECT_DIR / "test-artifacts"
NEW_PET = {"name": "Pixel", "type": "cat", "breed": "Bengal", "age": 1.5, "price": 849.99}


@dataclass
class Session:
    """What one scripted MCP session saw: the tool list and each call's result."""

    tools: dict[str, dict[str, Any]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    results: list[tuple[str, dict[str, Any], CallToolResult]] = field(default_factory=list)

    def result(self, name: str, index: int = 0) -> CallToolResult:
        return [result for called, _, result in self.results if called == name][index]

    def transcript(self) -> list[dict[str, Any]]:
        return [
            {"call": name, "arguments": arguments, "isError": bool(result.is_error), "result": text(result)}
            for name, arguments, result in self.results
        ]


def text(result: CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, TextContent))


def answer(result: CallToolResult) -> Any:
    assert not result.is_error, text(result)
    return json.loads(text(result))


def server_environment(stack: LocalStack, username: str) -> dict[str, str]:
    # As the README's configuration for `make run`: the emulator's Cognito is on loopback.
    return {
        "PETSTORE_CONFIG_URL": stack.page_url + "config.json",
        "PETSTORE_USERNAME": username,
        "PETSTORE_PASSWORD": stack.password,
        "PETSTORE_ALLOW_LOCAL_COGNITO": "true",
    }


async def stdio_session(stack: LocalStack, username: str, calls: list[tuple[str, dict[str, Any]]]) -> Session:
    """Starts `python -m agents.mcp_server` as an MCP client would and makes ``calls`` in order."""
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agents.mcp_server"],
        env=server_environment(stack, username),
        cwd=PROJECT_DIR,
    )
    session = Session()
    async with stdio_client(parameters) as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        for tool in (await client.list_tools()).tools:
            session.tools[tool.name] = tool.input_schema
            session.descriptions[tool.name] = tool.description or ""
        for name, arguments in calls:
            session.results.append((name, arguments, await client.call_tool(name, arguments)))
    return session


def record(name: str, session: Session) -> None:
    TRANSCRIPT_DIR.mkdir(exist_ok=True)
    (TRANSCRIPT_DIR / f"mcp-{name}.json").write_text(json.dumps(session.transcript(), indent=2) + "\n")


@pytest.fixture(scope="module")
def shopper(local_stack: LocalStack) -> Session:
    calls = [
        ("list_pets", {"limit": 3}),
        ("get_pet", {"pet_id": "1"}),
        ("get_pet", {"pet_id": "no-such-pet"}),
        ("query_pets", {"query": "cheap dogs under $500", "limit": 5}),
        ("add_pet", NEW_PET),
        (
            "query_pets",
            {"query": "how about cats?", "limit": 5, "context": {"type_filter": "dog", "max_price": 500}},
        ),
        ("list_pets", {"limit": 0}),
    ]
    session = anyio.run(stdio_session, local_stack, "shopper", calls)
    record("shopper", session)
    return session


@pytest.fixture(scope="module")
def staff(local_stack: LocalStack) -> Session:
    calls = [("add_pet", NEW_PET), ("add_pet", {**NEW_PET, "price": -5})]
    session = anyio.run(stdio_session, local_stack, "staff", calls)
    record("staff", session)
    return session


def test_the_tools_and_their_input_schemas(shopper: Session) -> None:
    assert set(shopper.tools) == {"list_pets", "get_pet", "query_pets", "add_pet"}
    limit = shopper.tools["list_pets"]["properties"]["limit"]["anyOf"][0]
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 100)
    adding = shopper.tools["add_pet"]
    assert set(adding["required"]) == {"name", "type", "breed", "age", "price"}
    assert adding["properties"]["price"]["minimum"] == 0
    assert adding["properties"]["age"]["minimum"] == 0
    assert "US dollars" in adding["properties"]["price"]["description"]
    assert "years" in adding["properties"]["age"]["description"]
    assert shopper.tools["get_pet"]["required"] == ["pet_id"]
    assert shopper.tools["query_pets"]["required"] == ["query"]
    assert "staff" in shopper.descriptions["add_pet"]
    question = shopper.tools["query_pets"]["properties"]["query"]
    assert question["maxLength"] == MAX_QUESTION_CHARS
    for tool in ("list_pets", "query_pets"):
        next_token = shopper.tools[tool]["properties"]["next_token"]["anyOf"][0]
        assert next_token["maxLength"] == MAX_TOKEN_CHARS


def test_list_pets_returns_a_page(shopper: Session) -> None:
    page = answer(shopper.result("list_pets"))
    assert len(page["pets"]) == 3
    assert page["next_token"]
    assert set(page["pets"][0]) == {"id", "name", "type", "breed", "age", "price"}


def test_get_pet_returns_buddy(shopper: Session) -> None:
    assert answer(shopper.result("get_pet"))["name"] == "Buddy"


def test_an_unknown_pet_is_a_tool_error(shopper: Session) -> None:
    missing = shopper.result("get_pet", 1)
    assert missing.is_error
    assert "no-such-pet" in text(missing) and "404" in text(missing)


def test_a_limit_out_of_range_is_refused_before_the_api(shopper: Session) -> None:
    refused = shopper.result("list_pets", 1)
    assert refused.is_error and "limit" in text(refused)


def test_a_shopper_may_not_add_pets(shopper: Session) -> None:
    refused = shopper.result("add_pet")
    assert refused.is_error
    assert "Only members of the 'staff' group may add pets" in text(refused)
    assert "403" in text(refused)


def test_query_pets_answers_the_question(shopper: Session) -> None:
    found = answer(shopper.result("query_pets"))
    assert found["pets"] and all(pet["type"] == "dog" and pet["price"] <= 500 for pet in found["pets"])
    assert found["filters"]["type_filter"] == "dog" and found["filters"]["max_price"] == 500
    assert found["summary"] and found["source"] in ("bedrock", "keyword")


def test_query_pets_follows_up_on_the_previous_answers_filters(shopper: Session) -> None:
    assert "context" in shopper.tools["query_pets"]["properties"]
    assert "previous answer's 'filters'" in shopper.descriptions["query_pets"]
    found = answer(shopper.result("query_pets", 1))
    assert found["filters"] == {"type_filter": "cat", "max_price": 500}
    assert found["pets"] and all(pet["type"] == "cat" and pet["price"] <= 500 for pet in found["pets"])
    assert found["unmatched"] == [] and found["suggestions"] == []


def test_staff_adds_a_pet(staff: Session, local_stack: LocalStack) -> None:
    added = answer(staff.result("add_pet"))
    assert {key: added[key] for key in NEW_PET} == NEW_PET
    assert added["id"]
    stored = local_stack.table().get_item(Key={"id": added["id"]})["Item"]
    assert stored["name"] == "Pixel"


def test_a_negative_price_is_a_tool_error(staff: Session) -> None:
    refused = staff.result("add_pet", 1)
    assert refused.is_error
    assert "price" in text(refused) and "greater than or equal to 0" in text(refused)


@pytest.fixture
def fresh_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (
        "PETSTORE_CONFIG_URL",
        "PETSTORE_API_URL",
        "PETSTORE_COGNITO_ENDPOINT",
        "PETSTORE_ALLOW_LOCAL_COGNITO",
    ):
        monkeypatch.delenv(name, raising=False)
    mcp_server.petstore.cache_clear()
    yield
    mcp_server.petstore.cache_clear()


async def call_in_memory(name: str, arguments: dict[str, Any]) -> CallToolResult:
    async with Client(mcp_server.server) as client:
        return await client.call_tool(name, arguments)


def test_missing_settings_are_a_tool_error_not_a_crash(
    fresh_client: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PETSTORE_USERNAME", raising=False)
    result = anyio.run(call_in_memory, "get_pet", {"pet_id": "1"})
    assert result.is_error
    assert "PETSTORE_API_URL" in text(result) and "PETSTORE_USERNAME" in text(result)


def test_an_unreachable_api_is_a_tool_error(fresh_client: None, monkeypatch: pytest.MonkeyPatch) -> None:
    closed = "http://127.0.0.1:9/"  # the discard port: nothing listens there
    for name, value in {
        "PETSTORE_API_URL": closed,
        "PETSTORE_COGNITO_ENDPOINT": closed,
        "PETSTORE_CLIENT_ID": "client",
        "PETSTORE_USERNAME": "shopper",
        "PETSTORE_PASSWORD": "secret",
        "PETSTORE_ALLOW_LOCAL_COGNITO": "true",
    }.items():
        monkeypatch.setenv(name, value)
    result = anyio.run(call_in_memory, "list_pets", {})
    assert result.is_error
    assert "Cognito did not answer at http://127.0.0.1:9/" in text(result)


def test_the_local_stacks_cognito_needs_its_permission(
    fresh_client: None, monkeypatch: pytest.MonkeyPatch, local_stack: LocalStack
) -> None:
    monkeypatch.setenv("PETSTORE_CONFIG_URL", local_stack.page_url + "config.json")
    monkeypatch.setenv("PETSTORE_USERNAME", "shopper")
    monkeypatch.setenv("PETSTORE_PASSWORD", local_stack.password)
    refused = anyio.run(call_in_memory, "get_pet", {"pet_id": "1"})
    assert refused.is_error
    assert "cognitoEndpoint in " + local_stack.page_url + "config.json" in text(refused)
    assert "PETSTORE_ALLOW_LOCAL_COGNITO=true" in text(refused)
    mcp_server.petstore.cache_clear()
    monkeypatch.setenv("PETSTORE_ALLOW_LOCAL_COGNITO", "true")
    assert json.loads(text(anyio.run(call_in_memory, "get_pet", {"pet_id": "1"})))["name"] == "Buddy"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PETSTORE_COGNITO_ENDPOINT", "http://cognito.example/"),
        ("PETSTORE_COGNITO_ENDPOINT", "https://cognito.example/"),
        ("PETSTORE_API_URL", "http://api.example/"),
        ("PETSTORE_API_URL", "ftp://127.0.0.1/"),
    ],
)
def test_a_bad_endpoint_is_a_tool_error_naming_the_setting(
    fresh_client: None, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    for name, setting in {
        "PETSTORE_API_URL": "https://api.example/",
        "PETSTORE_COGNITO_ENDPOINT": "https://cognito-idp.us-east-1.amazonaws.com/",
        "PETSTORE_CLIENT_ID": "client",
        "PETSTORE_USERNAME": "shopper",
        "PETSTORE_PASSWORD": "secret",
        variable: value,
    }.items():
        monkeypatch.setenv(name, setting)
    result = anyio.run(call_in_memory, "list_pets", {})
    assert result.is_error
    assert f"{variable} must be" in text(result) and value in text(result)
    assert "secret" not in text(result)


# PetStoreClient: sign-in, token refresh and error answers, with requests-level fakes.
