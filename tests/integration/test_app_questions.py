"""Questions through the route (chalice.test.Client): answers, follow-ups, tokens, metrics."""

import json
from typing import Any

import pytest
from chalice.test import Client

from tests.support.routes import body


def test_a_question_is_answered(client: Client, shopper: dict[str, str]) -> None:
    response = client.http.post(
        "/pets/query", headers=shopper, body=json.dumps({"query": "cats, oldest first"})
    )
    assert response.status_code == 200
    answer = body(response)
    assert set(answer) == {
        "query",
        "filters",
        "source",
        "summary",
        "pets",
        "next_token",
        "unmatched",
        "suggestions",
        "relaxed",
        "corrected",
    }
    assert (
        answer["filters"] == {"type_filter": "cat", "sort_by": "age_desc"} and answer["source"] == "keyword"
    )


def ask(client: Client, headers: dict[str, str], **request: Any) -> dict[str, Any]:
    response = client.http.post("/pets/query", headers=headers, body=json.dumps(request))
    assert response.status_code == 200, response.body
    answer: dict[str, Any] = body(response)
    return answer


def test_a_conversation_of_follow_ups_chains_its_filters(client: Client, shopper: dict[str, str]) -> None:
    first = ask(client, shopper, query="dogs under $500")
    young = ask(client, shopper, query="how about cats?", context=first["filters"])
    assert young["filters"] == {"type_filter": "cat", "max_price": 500}
    assert young["pets"] and all(pet["type"] == "cat" and pet["price"] <= 500 for pet in young["pets"])
    ordered = ask(client, shopper, query="oldest first", context=young["filters"])
    assert ordered["filters"] == {"type_filter": "cat", "max_price": 500, "sort_by": "age_desc"}
    fresh = ask(client, shopper, query="oldest first")
    assert fresh["filters"] == {"sort_by": "age_desc"}


def test_show_more_keeps_the_follow_ups_reading(client: Client, shopper: dict[str, str]) -> None:
    context = {"types": ["cat", "dog"]}
    first = ask(client, shopper, query="cheapest first", context=context, limit=2)
    assert first["filters"] == {"types": ["cat", "dog"], "sort_by": "price_asc"} and first["next_token"]
    second = ask(
        client, shopper, query="cheapest first", context=context, limit=2, next_token=first["next_token"]
    )
    assert second["filters"] == first["filters"]
    prices = [pet["price"] for pet in first["pets"] + second["pets"]]
    assert prices == sorted(prices) and len({pet["id"] for pet in first["pets"] + second["pets"]}) == 4


@pytest.mark.parametrize(
    ("context", "named"),
    [
        ({"colour": "red"}, "context.colour"),
        ({"max_price": "cheap"}, "context.max_price"),
        ({"types": "dog"}, "context.types"),
        ({"types": [f"kind{n}" for n in range(11)]}, "context"),
        ({"sort_by": "by vibes"}, "context.sort_by"),
        ("dogs", "context"),
        ({"name": "x" * 101}, "context.name"),
        ({"name": " " + "x" * 100}, "context.name"),
    ],
)
def test_a_bad_context_is_400_naming_it(
    client: Client, shopper: dict[str, str], context: Any, named: str
) -> None:
    response = client.http.post(
        "/pets/query", headers=shopper, body=json.dumps({"query": "cheaper", "context": context})
    )
    assert response.status_code == 400
    assert body(response)["error"] == "invalid_input" and named in body(response)["message"]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "[]",
        json.dumps({"query": ""}),
        json.dumps({"query": "dogs", "limit": 500}),
        json.dumps({"q": "x"}),
    ],
)
def test_bad_questions_are_400(client: Client, shopper: dict[str, str], raw: str) -> None:
    response = client.http.post("/pets/query", headers=shopper, body=raw)
    assert response.status_code == 400 and body(response)["error"] == "invalid_input"


def test_asking_needs_a_token(client: Client) -> None:
    response = client.http.post("/pets/query", body=json.dumps({"query": "dogs"}))
    assert response.status_code == 401


def test_a_question_is_counted_in_the_metrics(
    client: Client, shopper: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = client.http.post("/pets/query", headers=shopper, body=json.dumps({"query": "dogs"}))
    assert response.status_code == 200
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert {(blob.get("Source"), blob.get("Reader")) for blob in blobs} >= {
        ("keyword", None),
        (None, "keyword:keywords_only"),
    }
    request_set = next(blob for blob in blobs if "ItemsRead" in blob)
    # Bedrock is off here: the keywords are the reader, not a fallback
    assert "Fallbacks" not in request_set and request_set["ItemsRead"][0] >= 1


def test_a_listing_token_does_not_continue_a_question(client: Client, shopper: dict[str, str]) -> None:
    listing_token = body(client.http.get("/pets?limit=2", headers=shopper))["next_token"]
    asked = json.dumps({"query": "dogs", "next_token": listing_token})
    response = client.http.post("/pets/query", headers=shopper, body=asked)
    assert response.status_code == 400 and "next_token" in body(response)["message"]


@pytest.mark.parametrize(
    "question",
    [
        "dogs under $1e9999999999999999999",
        "cats 1e-99999999999999999999 years old",
        "dogs under \u0665\u0660\u0660 dollars",
        "pets under $" + "9" * 400,
    ],
)
def test_no_number_in_a_question_is_a_server_error(
    client: Client, shopper: dict[str, str], question: str
) -> None:
    response = client.http.post("/pets/query", headers=shopper, body=json.dumps({"query": question}))
    assert response.status_code == 200, response.body
