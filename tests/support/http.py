"""Calling the local stack's API over HTTP, as a client does."""

from __future__ import annotations

from typing import Any

import requests

from localdev.stack import LocalStack


def call(
    stack: LocalStack, method: str, path: str, token: str | None = None, **kwargs: Any
) -> requests.Response:
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = token
    return requests.request(method, stack.api_url + path.lstrip("/"), headers=headers, timeout=30, **kwargs)


def all_pets(stack: LocalStack, token: str, limit: int = 100) -> list[dict[str, Any]]:
    """Every pet the listing holds, page after page."""
    pets: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        response = call(stack, "GET", "/pets", token, params=params)
        assert response.status_code == 200, response.text
        answer = response.json()
        pets += answer["pets"]
        if answer["next_token"] is None:
            return pets
        params["next_token"] = answer["next_token"]


def preflight(stack: LocalStack, path: str, request_headers: str, method: str = "POST") -> requests.Response:
    """A browser's CORS preflight from the page's origin, asking to send ``request_headers``."""
    return requests.options(
        stack.api_url + path.lstrip("/"),
        headers={
            "Origin": f"http://127.0.0.1:{stack.ports.page}",
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": request_headers,
        },
        timeout=10,
    )
