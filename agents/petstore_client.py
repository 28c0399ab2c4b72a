"""A small HTTP client of the pet store API that signs in with Cognito and keeps its token fresh."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, quote, urlsplit

import requests

log = logging.getLogger(__name__)

COGNITO_TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"
COGNITO_CONTENT_TYPE = "application/x-amz-json-1.1"
# Refresh this long before the ID token expires, so a slow call never carries an expired token.
REFRESH_MARGIN_SECONDS = 120
TIMEOUT_SECONDS = 30
# An add that got no answer, a 429 or a 5xx is sent again, with the same Idempotency-Key.
ADD_ATTEMPTS = 3
RETRY_SECONDS = 1.0
# The agent's password goes to Cognito's own endpoint and nowhere else, whatever a config.json says;
# a local emulator on loopback only when this variable is "true".
ALLOW_LOCAL_COGNITO = "PETSTORE_ALLOW_LOCAL_COGNITO"
COGNITO_HOST = re.compile(r"cognito-idp(-fips)?\.[a-z]{2}(-[a-z]+)+-[0-9]+\.amazonaws\.com(\.cn)?")
LOOPBACK_NAMES = ("localhost",)


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
    """Where the API and Cognito are, and who the agent is; checked when made, so a client never
    sends the password or the token anywhere these rules do not allow:

    * the API over https, or plain http on loopback (127.0.0.1, ::1, localhost);
    * Cognito at ``https://cognito-idp.<region>.amazonaws.com/``, or, only with
      ``allow_local_cognito``, an emulator on loopback.
    """

    api_url: str
    cognito_endpoint: str
    client_id: str
    username: str
    password: str = field(repr=False)
    allow_local_cognito: bool = False

    def __post_init__(self) -> None:
        check_api_url(self.api_url, "PETSTORE_API_URL")
        check_cognito_endpoint(self.cognito_endpoint, "PETSTORE_COGNITO_ENDPOINT", self.allow_local_cognito)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        fetch_config: Callable[[str], Mapping[str, Any]] | None = None,
    ) -> Settings:
        """PETSTORE_* variables; those left out come from the page's config.json at PETSTORE_CONFIG_URL.

        A ValueError names the setting that is missing or not allowed.
        """
        environ = os.environ if environ is None else environ
        allow_local = environ.get(ALLOW_LOCAL_COGNITO, "").strip().lower() == "true"
        page: Mapping[str, Any] = {}
        if config_url := environ.get("PETSTORE_CONFIG_URL"):
            check_api_url(config_url, "PETSTORE_CONFIG_URL")
            page = (fetch_config or _fetch_json)(config_url)
        # Each value and the setting it came from, to name in an error.
        sources = {"api_url": "apiBaseUrl", "cognito_endpoint": "cognitoEndpoint", "client_id": "clientId"}
        values: dict[str, tuple[Any, str]] = {}
        for name in ("api_url", "cognito_endpoint", "client_id", "username", "password"):
            variable = f"PETSTORE_{name.upper()}"
            if environ.get(variable) or name not in sources:
                values[name] = (environ.get(variable), variable)
            else:
                values[name] = (page.get(sources[name]), f"{sources[name]} in {config_url}")
        missing = [f"PETSTORE_{name.upper()}" for name, (value, _) in values.items() if not value]
        if missing:
            raise ValueError(f"Set {', '.join(missing)} (or PETSTORE_CONFIG_URL for the first three).")
        check_api_url(str(values["api_url"][0]), values["api_url"][1])
        check_cognito_endpoint(str(values["cognito_endpoint"][0]), values["cognito_endpoint"][1], allow_local)
        return cls(
            **{name: str(value) for name, (value, _) in values.items()}, allow_local_cognito=allow_local
        )


def check_api_url(url: str, setting: str) -> None:
    """ValueError naming ``setting`` unless ``url`` is https, or http on loopback."""
    parts = _parts(url, setting)
    if parts.scheme == "https" or (parts.scheme == "http" and _loopback(parts.hostname)):
        return
    raise ValueError(
        f"{setting} must be an https:// URL (plain http only on 127.0.0.1, ::1 or localhost): {url!r}"
    )


def check_cognito_endpoint(url: str, setting: str, allow_local: bool) -> None:
    """ValueError naming ``setting`` unless ``url`` is Cognito's own endpoint (or, when allowed,
    an emulator on loopback): the agent's password is posted there."""
    parts = _parts(url, setting)
    at_root = parts.path in ("", "/") and not parts.query and not parts.fragment
    cognito = parts.scheme == "https" and parts.port in (None, 443)
    if at_root and cognito and COGNITO_HOST.fullmatch(parts.hostname or ""):
        return
    if at_root and allow_local and parts.scheme in ("http", "https") and _loopback(parts.hostname):
        return
    local = (
        f"; an emulator on loopback needs {ALLOW_LOCAL_COGNITO}=true"
        if not allow_local and _loopback(parts.hostname)
        else ""
    )
    raise ValueError(
        f"{setting} must be Cognito's endpoint, https://cognito-idp.<region>.amazonaws.com/{local}: {url!r}"
    )


def _parts(url: str, setting: str) -> SplitResult:
    # Nothing that parsers read differently (urllib here, urllib3 when sending): no whitespace,
    # control characters, backslashes or user info.
    if any(char.isspace() or not char.isprintable() or char == "\\" for char in url):
        raise ValueError(f"{setting} holds spaces, control characters or backslashes: {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError:
        raise ValueError(f"{setting} is not a URL: {url!r}") from None
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise ValueError(f"{setting} must be a URL with a host and no user name or password in it: {url!r}")
    return parts


def _loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _fetch_json(url: str) -> Mapping[str, Any]:
    try:
        # No redirects: the settings come from the URL that was checked, or not at all.
        response = requests.get(url, timeout=TIMEOUT_SECONDS, allow_redirects=False)
        response.raise_for_status()
        if response.status_code != 200:
            raise ValueError(f"HTTP {response.status_code} (redirects are not followed)")
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
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._session = session or requests.Session()
        self._clock = clock
        self._sleep = sleep
        self._tokens: _Tokens | None = None
        # The MCP server runs tools on worker threads; one sign-in at a time.
        self._lock = threading.Lock()

    def list_pets(self, limit: int | None = None, next_token: str | None = None) -> dict[str, Any]:
        params = {"limit": limit, "next_token": next_token}
        return self.request("GET", "pets", params={k: v for k, v in params.items() if v is not None})

    def get_pet(self, pet_id: str) -> dict[str, Any]:
        return self.request("GET", f"pets/{quote(pet_id, safe='')}")

    def add_pet(self, pet: Mapping[str, Any]) -> dict[str, Any]:
        """Adds ``pet`` once: a fresh Idempotency-Key, sent again with every retry of this add."""
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        for attempt in range(1, ADD_ATTEMPTS + 1):
            try:
                return self.request("POST", "pets", json=dict(pet), headers=headers)
            except PetStoreApiError as error:
                if attempt == ADD_ATTEMPTS or not _worth_retrying(error):
                    raise
                log.info("The add got %s; sending it again with the same key", error)
                self._sleep(RETRY_SECONDS * attempt)
        raise AssertionError("not reached")

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
            # Never redirected: a 307 would post the password on to wherever it points.
            response = self._session.post(
                self._settings.cognito_endpoint,
                json=body,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
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
        headers = {**kwargs.pop("headers", {}), "Authorization": token}
        try:
            return self._session.request(method, url, headers=headers, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.RequestException as error:
            raise PetStoreApiError(f"The pet store API did not answer at {url}: {error}") from None


def _worth_retrying(error: PetStoreApiError) -> bool:
    """No answer at all, too many requests, or the server's own failure: the same add may work later."""
    return not isinstance(error, SignInError) and (
        error.status is None or error.status == 429 or error.status >= 500
    )


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
