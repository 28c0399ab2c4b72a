"""A small HTTP client of the pet store API that signs in with Cognito and keeps its token fresh."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

log = logging.getLogger(__name__)

COGNITO_TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"
COGNITO_CONTENT_TYPE = "application/x-amz-json-1.1"
# Refresh this long before the ID token expires, so a slow call never carries an expired token.
REFRESH_MARGIN_SECONDS = 120
TIMEOUT_SECONDS = 30


class PetStoreApiError(Exception):
    """The API (or Cognito) refused a request, or could not be reached; ``str()`` is for a person."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    def __str__(self) -> str:
        if self.status is None:
            return self.message
        return f"{self.message} (HTTP {self.status} {self.code or 'error'})"


class SignInError(PetStoreApiError):
    """Cognito refused the credentials or the refresh token."""


@dataclass(frozen=True)
class Settings:
    api_url: str
    cognito_endpoint: str
    client_id: str
    username: str
    password: str

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        fetch_config: Callable[[str], Mapping[str, Any]] | None = None,
    ) -> Settings:
        """PETSTORE_* variables; those left out come from the page's config.json at PETSTORE_CONFIG_URL."""
        environ = os.environ if environ is None else environ
        page: Mapping[str, Any] = {}
        if config_url := environ.get("PETSTORE_CONFIG_URL"):
            page = (fetch_config or _fetch_json)(config_url)
        values = {
            "api_url": environ.get("PETSTORE_API_URL") or page.get("apiBaseUrl"),
            "cognito_endpoint": environ.get("PETSTORE_COGNITO_ENDPOINT") or page.get("cognitoEndpoint"),
            "client_id": environ.get("PETSTORE_CLIENT_ID") or page.get("clientId"),
            "username": environ.get("PETSTORE_USERNAME"),
            "password": environ.get("PETSTORE_PASSWORD"),
        }
        missing = [f"PETSTORE_{name.upper()}" for name, value in values.items() if not value]
        if missing:
            raise ValueError(f"Set {', '.join(missing)} (or PETSTORE_CONFIG_URL for the first three).")
        return cls(**{name: str(value) for name, value in values.items()})


def _fetch_json(url: str) -> Mapping[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        config: Mapping[str, Any] = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ValueError(f"Could not read the page's settings at {url}: {error}") from None
    return config


@dataclass
class _Tokens:
    id_token: str
    refresh_token: str | None
    expires_at: float


class PetStoreClient:
    """Calls the API as one signed-in user; every failure is a PetStoreApiError with a clear message."""

    def __init__(
        self,
        settings: Settings,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._session = session or requests.Session()
        self._clock = clock
        self._tokens: _Tokens | None = None
        # The MCP server runs tools on worker threads; one sign-in at a time.
        self._lock = threading.Lock()

    def list_pets(self, limit: int | None = None, next_token: str | None = None) -> dict[str, Any]:
        params = {"limit": limit, "next_token": next_token}
        return self.request("GET", "pets", params={k: v for k, v in params.items() if v is not None})

    def get_pet(self, pet_id: str) -> dict[str, Any]:
        return self.request("GET", f"pets/{quote(pet_id, safe='')}")

    def add_pet(self, pet: Mapping[str, Any]) -> dict[str, Any]:
        return self.request("POST", "pets", json=dict(pet))

    def query_pets(
        self,
        query: str,
        limit: int | None = None,
        next_token: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        body = {"query": query, "limit": limit, "next_token": next_token, "context": context}
        return self.request("POST", "pets/query", json={k: v for k, v in body.items() if v is not None})

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """The API's JSON answer; a 401 gets one fresh token and one retry."""
        response = self._send(method, path, self.id_token(), **kwargs)
        if response.status_code == 401:
            log.info("The API refused the token; refreshing it and retrying once")
            response = self._send(method, path, self.id_token(force_refresh=True), **kwargs)
        return _answer(response, f"{method} /{path}")

    def id_token(self, force_refresh: bool = False) -> str:
        with self._lock:
            tokens = self._tokens
            if tokens is None:
                tokens = self._sign_in()
            elif force_refresh or self._clock() >= tokens.expires_at - REFRESH_MARGIN_SECONDS:
                tokens = self._refresh(tokens)
            self._tokens = tokens
            return tokens.id_token

    def _sign_in(self) -> _Tokens:
        log.info("Signing in to Cognito as %s", self._settings.username)
        return self._initiate_auth(
            "USER_PASSWORD_AUTH",
            {"USERNAME": self._settings.username, "PASSWORD": self._settings.password},
            refresh_token=None,
        )

    def _refresh(self, tokens: _Tokens) -> _Tokens:
        if tokens.refresh_token is None:
            return self._sign_in()
        try:
            log.info("Refreshing the ID token")
            return self._initiate_auth(
                "REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": tokens.refresh_token}, tokens.refresh_token
            )
        except SignInError:
            # A refresh token expires too (30 days); the password still works.
            return self._sign_in()

    def _initiate_auth(self, flow: str, parameters: dict[str, str], refresh_token: str | None) -> _Tokens:
        body: dict[str, Any] = {
            "AuthFlow": flow,
            "ClientId": self._settings.client_id,
            "AuthParameters": parameters,
        }
        headers = {"X-Amz-Target": COGNITO_TARGET, "Content-Type": COGNITO_CONTENT_TYPE}
        started = self._clock()
        try:
            response = self._session.post(
                self._settings.cognito_endpoint, json=body, headers=headers, timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException as error:
            raise PetStoreApiError(
                f"Cognito did not answer at {self._settings.cognito_endpoint}: {error}"
            ) from None
        answer = _json(response)
        result = answer.get("AuthenticationResult")
        if response.status_code != 200 or not isinstance(result, dict) or "IdToken" not in result:
            kind = str(answer.get("__type", "")).rsplit("#", 1)[-1] or "UnexpectedAnswer"
            message = answer.get("message") or answer.get("Message") or "no tokens in the answer"
            raise SignInError(f"Cognito refused the sign-in: {kind}: {message}", response.status_code, kind)
        return _Tokens(
            id_token=result["IdToken"],
            refresh_token=result.get("RefreshToken") or refresh_token,
            expires_at=started + float(result.get("ExpiresIn", 3600)),
        )

    def _send(self, method: str, path: str, token: str, **kwargs: Any) -> requests.Response:
        url = self._settings.api_url.rstrip("/") + "/" + path
        try:
            return self._session.request(
                method, url, headers={"Authorization": token}, timeout=TIMEOUT_SECONDS, **kwargs
            )
        except requests.RequestException as error:
            raise PetStoreApiError(f"The pet store API did not answer at {url}: {error}") from None


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"value": body}


def _answer(response: requests.Response, route: str) -> dict[str, Any]:
    body = _json(response)
    if response.status_code < 400:
        return body
    message = str(body.get("message") or body.get("Message") or response.reason or "no message")
    code = body.get("error") or body.get("Code")
    if response.status_code in (404, 405, 501) and "error" not in body:
        # Not the app's own answer: the gateway (or chalice local) has no such route at all.
        message = f"This API does not offer {route.split('?')[0]}: {message}"
    raise PetStoreApiError(message, response.status_code, str(code) if code else None)
