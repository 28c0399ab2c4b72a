"""Answers instead of the API's and Cognito's, for the browser tests: in the contract's exact shape,
through Playwright's ``page.route``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, Route

from localdev.stack import LocalStack


def fulfill_json(route: Route, status: int, body: Any) -> None:
    route.fulfill(status=status, content_type="application/json", body=json.dumps(body))


def answer_api_with(page: Page, pattern: str, status: int, body: Any) -> None:
    """Every request to ``pattern`` gets this JSON answer instead of the API's."""
    page.route(pattern, lambda route: fulfill_json(route, status, body))


def pet(pet_id: str, name: str, kind: str, breed: str, age: float, price: float) -> dict[str, Any]:
    return {"id": pet_id, "name": name, "type": kind, "breed": breed, "age": age, "price": price}


# Pets for scripted answers.
REX = pet("d-1", "Rex", "dog", "Beagle", 2, 450)
BELLA = pet("d-2", "Bella", "dog", "Poodle", 0.5, 380)
FIFI = pet("d-3", "Fifi", "dog", "Poodle", 3, 400)
CHICO = pet("d-4", "Chico", "dog", "Chihuahua", 2, 420)
LUNA = pet("c-1", "Luna", "cat", "Tabby", 1, 120)


def query_answer(
    query: str,
    filters: dict[str, Any],
    pets: list[dict[str, Any]],
    *,
    summary: str | None = None,
    source: str = "keyword",
    next_token: str | None = None,
    unmatched: list[str] | None = None,
    suggestions: list[dict[str, Any]] | None = None,
    relaxed: list[str] | None = None,
    corrected: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An answer of ``POST /pets/query`` in the contract's shape, every field present."""
    return {
        "query": query,
        "filters": filters,
        "source": source,
        "summary": summary if summary is not None else f"{len(pets)} pets.",
        "pets": pets,
        "next_token": next_token,
        "unmatched": unmatched or [],
        "suggestions": suggestions or [],
        "relaxed": relaxed or [],
        "corrected": corrected or {},
    }


class FakeQueries:
    """Answers ``POST /pets/query`` from a script, by question (and page token), keeping every body sent.

    ``answers`` maps a question, or ``(question, next_token)`` for a further page, to its answer.
    """

    def __init__(self, page: Page, answers: dict[Any, dict[str, Any]]) -> None:
        self.answers = answers
        self.bodies: list[dict[str, Any]] = []
        page.route("**/pets/query", self._answer)

    def _answer(self, route: Route) -> None:
        body: dict[str, Any] = route.request.post_data_json
        self.bodies.append(body)
        key = (body["query"], body["next_token"]) if "next_token" in body else body["query"]
        if key not in self.answers:
            fulfill_json(route, 400, {"error": "invalid_input", "message": f"no scripted answer for {key!r}"})
            return
        fulfill_json(route, 200, self.answers[key])

    @property
    def last(self) -> dict[str, Any]:
        assert self.bodies, "the page sent no question"
        return self.bodies[-1]


def on_cognito(page: Page, stack: LocalStack, action: str, handler: Callable[[Route], None]) -> None:
    """Routes the page's Cognito calls of one ``action`` (e.g. "RevokeToken") to ``handler``; others pass."""
    target = f"AWSCognitoIdentityProviderService.{action}"

    def route(route: Route) -> None:
        if route.request.headers.get("x-amz-target") == target:
            handler(route)
        else:
            route.fallback()

    page.route(f"{stack.aws_url}/**", route)
