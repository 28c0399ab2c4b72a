"""The MCP server's API client: where it sends the password and the token, and how it keeps a
session (refresh before expiry, one retry after a 401, the password when the refresh token has died)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from agents.petstore_client import (
    REFRESH_MARGIN_SECONDS,
    PetStoreApiError,
    PetStoreClient,
    Settings,
    SignInError,
    check_api_url,
    check_cognito_endpoint,
)
from localdev.stack import LocalStack
from tests.support.recorder import Recorder

COGNITO = "https://cognito-idp.us-east-1.amazonaws.com/"
SETTINGS = Settings("https://api.test/", COGNITO, "client-1", "staff", "pw")


class FakeResponse(requests.Response):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__()
        self.status_code = status
        self._content = json.dumps(body).encode()


class FakeSession(requests.Session):
    """Answers Cognito with numbered tokens and the API from a script of (status, body) answers."""

    def __init__(self, api_answers: list[tuple[int, Any]], refresh_works: bool = True) -> None:
        super().__init__()
        self.api_answers = api_answers
        self.refresh_works = refresh_works
        self.flows: list[str] = []
        self.api_tokens: list[str] = []
        self.keys: list[str | None] = []

    def post(self, url: Any, data: Any = None, json: Any = None, **kwargs: Any) -> requests.Response:
        assert url == COGNITO and kwargs["allow_redirects"] is False
        assert kwargs["headers"]["X-Amz-Target"] == "AWSCognitoIdentityProviderService.InitiateAuth"
        assert kwargs["headers"]["Content-Type"] == "application/x-amz-json-1.1"
        assert json["ClientId"] == "client-1"
        self.flows.append(json["AuthFlow"])
        if json["AuthFlow"] == "REFRESH_TOKEN_AUTH" and not self.refresh_works:
            return FakeResponse(
                400, {"__type": "NotAuthorizedException", "message": "Refresh Token has expired"}
            )
        if json["AuthFlow"] == "USER_PASSWORD_AUTH" and json["AuthParameters"]["PASSWORD"] != "pw":
            return FakeResponse(400, {"__type": "NotAuthorizedException", "message": "Incorrect password."})
        result = {"IdToken": f"token-{len(self.flows)}", "ExpiresIn": 3600}
        if json["AuthFlow"] == "USER_PASSWORD_AUTH":
            result["RefreshToken"] = "refresh"
        return FakeResponse(200, {"AuthenticationResult": result})

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        self.api_tokens.append(kwargs["headers"]["Authorization"])
        self.keys.append(kwargs["headers"].get("Idempotency-Key"))
        status, body = self.api_answers.pop(0)
        return FakeResponse(status, body)


UNAUTHORIZED = (401, {"error": "unauthorized", "message": "The token has expired."})


def test_a_401_gets_one_refresh_and_one_retry() -> None:
    session = FakeSession([UNAUTHORIZED, (200, {"pets": [], "next_token": None})])
    assert PetStoreClient(SETTINGS, session).list_pets() == {"pets": [], "next_token": None}
    assert session.flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
    assert session.api_tokens == ["token-1", "token-2"]


def test_a_second_401_is_the_answer_not_a_loop() -> None:
    session = FakeSession([UNAUTHORIZED, UNAUTHORIZED, (200, {})])
    with pytest.raises(PetStoreApiError) as raised:
        PetStoreClient(SETTINGS, session).get_pet("1")
    assert (raised.value.status, raised.value.code) == (401, "unauthorized")
    assert str(raised.value) == "The token has expired. (HTTP 401 unauthorized)"
    assert len(session.api_tokens) == 2 and len(session.api_answers) == 1


PET = {"name": "Rex", "type": "dog", "breed": "Boxer", "age": 2, "price": 300}
UNAVAILABLE = (503, {"error": "service_unavailable", "message": "Try again."})


def test_an_add_is_retried_with_the_same_key_and_each_add_has_its_own() -> None:
    session = FakeSession([UNAVAILABLE, (429, {}), (201, {"id": "7"}), (201, {"id": "8"})])
    client = PetStoreClient(SETTINGS, session, sleep=lambda seconds: None)
    assert client.add_pet(PET) == {"id": "7"} and client.add_pet(PET) == {"id": "8"}
    first, retried, again, second = session.keys
    assert first and first == retried == again and second and second != first


def test_an_add_refused_for_what_it_is_is_not_retried() -> None:
    session = FakeSession([(400, {"error": "invalid_input", "message": "price: must be 0 or more."})])
    with pytest.raises(PetStoreApiError, match="price"):
        PetStoreClient(SETTINGS, session, sleep=lambda seconds: None).add_pet(PET)
    assert len(session.keys) == 1


def test_an_add_gives_up_after_its_last_attempt() -> None:
    session = FakeSession([UNAVAILABLE, UNAVAILABLE, UNAVAILABLE])
    with pytest.raises(PetStoreApiError, match="Try again"):
        PetStoreClient(SETTINGS, session, sleep=lambda seconds: None).add_pet(PET)
    assert len(set(session.keys)) == 1 and len(session.keys) == 3


def test_the_token_is_refreshed_before_it_expires() -> None:
    now = [1000.0]
    session = FakeSession([(200, {"id": "1"}), (200, {"id": "1"}), (200, {"id": "1"})])
    client = PetStoreClient(SETTINGS, session, clock=lambda: now[0])
    client.get_pet("1")
    now[0] += 3600 - REFRESH_MARGIN_SECONDS - 1
    client.get_pet("1")
    now[0] += 2
    client.get_pet("1")
    assert session.flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
    assert session.api_tokens == ["token-1", "token-1", "token-2"]


def test_an_expired_refresh_token_falls_back_to_the_password() -> None:
    session = FakeSession([UNAUTHORIZED, (200, {"id": "1"})], refresh_works=False)
    assert PetStoreClient(SETTINGS, session).get_pet("1") == {"id": "1"}
    assert session.flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "USER_PASSWORD_AUTH"]
    assert session.api_tokens == ["token-1", "token-3"]


def test_a_wrong_password_says_so() -> None:
    settings = Settings("https://api.test/", COGNITO, "client-1", "staff", "wrong")
    with pytest.raises(SignInError, match="NotAuthorizedException: Incorrect password"):
        PetStoreClient(settings, FakeSession([])).list_pets()


def test_settings_from_the_page_config_and_the_environment() -> None:
    page = {"apiBaseUrl": "https://api/", "cognitoEndpoint": COGNITO, "clientId": "page-client"}
    environ = {
        "PETSTORE_CONFIG_URL": "https://page/config.json",
        "PETSTORE_CLIENT_ID": "env-client",
        "PETSTORE_USERNAME": "shopper",
        "PETSTORE_PASSWORD": "pw",
    }
    settings = Settings.from_env(
        environ, fetch_config=lambda url: page if url.endswith("config.json") else {}
    )
    assert settings == Settings("https://api/", COGNITO, "env-client", "shopper", "pw")
    with pytest.raises(
        ValueError, match="Set PETSTORE_API_URL, PETSTORE_COGNITO_ENDPOINT, PETSTORE_CLIENT_ID"
    ):
        Settings.from_env({"PETSTORE_USERNAME": "u", "PETSTORE_PASSWORD": "p"})


def test_a_stale_token_is_refreshed_at_the_real_emulator(local_stack: LocalStack) -> None:
    config = requests.get(local_stack.page_url + "config.json", timeout=10).json()
    client = PetStoreClient(
        Settings(
            config["apiBaseUrl"],
            config["cognitoEndpoint"],
            config["clientId"],
            "shopper",
            "PetStore-Demo-1!",
            allow_local_cognito=True,
        )
    )
    stale = client.id_token()[:-4] + "AAAA"  # its signature no longer matches
    refused = requests.get(config["apiBaseUrl"] + "pets/1", headers={"Authorization": stale}, timeout=10)
    assert refused.status_code == 401
    assert client._tokens is not None
    client._tokens.id_token = stale
    assert client.get_pet("1")["name"] == "Buddy"
    assert client.id_token() != stale


# Where the client may send the agent's password and token.


@pytest.mark.parametrize(
    "url",
    [
        "https://abc123.execute-api.us-east-1.amazonaws.com/api/",
        "https://api.example.com",
        "http://127.0.0.1:8000/",
        "http://[::1]:8000/",
        "http://localhost:8000/",
        "http://127.0.0.2/",
    ],
)
def test_api_urls_over_https_or_on_loopback(url: str) -> None:
    check_api_url(url, "PETSTORE_API_URL")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.example.com/",
        "http://10.0.0.1:8000/",
        "http://127.0.0.1.example.com/",
        "http://localhost.example.com/",
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "127.0.0.1:8000",
        "//api.example.com/",
        "https://user:pw@api.example.com/",
        "https:///path",
        "https://api.example.com:99999/",
        " https://api.example.com/",
        "https://api.example.com\\@127.0.0.1/",
        "https://api.example.com/\n",
        "",
    ],
)
def test_other_api_urls_are_refused_naming_the_setting(url: str) -> None:
    with pytest.raises(ValueError, match=r"^PETSTORE_API_URL "):
        check_api_url(url, "PETSTORE_API_URL")


@pytest.mark.parametrize(
    "url",
    [
        "https://cognito-idp.us-east-1.amazonaws.com/",
        "https://cognito-idp.eu-central-1.amazonaws.com",
        "https://cognito-idp.ap-southeast-2.amazonaws.com:443/",
        "https://cognito-idp-fips.us-gov-west-1.amazonaws.com/",
        "https://cognito-idp.cn-north-1.amazonaws.com.cn/",
    ],
)
def test_cognitos_own_endpoints_are_allowed(url: str) -> None:
    check_cognito_endpoint(url, "PETSTORE_COGNITO_ENDPOINT", allow_local=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://cognito-idp.us-east-1.amazonaws.com/",
        "https://cognito-idp.us-east-1.amazonaws.com.example.com/",
        "https://cognito-idp.us-east-1.amazonaws.com./",
        "https://evil.example/cognito-idp.us-east-1.amazonaws.com/",
        "https://cognito-idp.us-east-1.amazonaws.com@evil.example/",
        "https://evil.example#@cognito-idp.us-east-1.amazonaws.com/",
        "https://cognito-idp.us-east-1.amazonaws.com:8443/",
        "https://cognito-idp.us-east-1.amazonaws.com/some/path",
        "https://cognito-idp.us-east-1.amazonaws.com/?next=evil",
        "https://cognito-identity.us-east-1.amazonaws.com/",
        "https://s3.us-east-1.amazonaws.com/",
        "https://cognito-idp.US-EAST-1.amazonaws.com.evil/",
        "https://xcognito-idp.us-east-1.amazonaws.com/",
        "https://cognito-idp.us-east-1.amazonaws.com\\.evil.example/",
        "http://127.0.0.1:5050/",
        "http://localhost:5050/",
        "https://[::1]:5050/",
    ],
)
def test_any_other_cognito_endpoint_is_refused_naming_the_setting(url: str) -> None:
    with pytest.raises(ValueError, match=r"^PETSTORE_COGNITO_ENDPOINT "):
        check_cognito_endpoint(url, "PETSTORE_COGNITO_ENDPOINT", allow_local=False)


@pytest.mark.parametrize("url", ["http://127.0.0.1:5050/", "http://localhost:5050", "http://[::1]:5050/"])
def test_an_emulator_on_loopback_only_when_allowed(url: str) -> None:
    with pytest.raises(ValueError, match="PETSTORE_ALLOW_LOCAL_COGNITO=true"):
        check_cognito_endpoint(url, "PETSTORE_COGNITO_ENDPOINT", allow_local=False)
    check_cognito_endpoint(url, "PETSTORE_COGNITO_ENDPOINT", allow_local=True)


@pytest.mark.parametrize(
    "url", ["http://cognito.example/", "http://10.1.2.3:5050/", "http://127.0.0.1:5050/oauth2/token"]
)
def test_allowing_local_cognito_allows_nothing_but_loopback(url: str) -> None:
    with pytest.raises(ValueError, match=r"^PETSTORE_COGNITO_ENDPOINT "):
        check_cognito_endpoint(url, "PETSTORE_COGNITO_ENDPOINT", allow_local=True)


def test_settings_refuse_a_config_that_sends_the_password_elsewhere() -> None:
    page = {"apiBaseUrl": "https://api/", "cognitoEndpoint": "https://evil.example/", "clientId": "c"}
    environ = {
        "PETSTORE_CONFIG_URL": "https://page.example/config.json",
        "PETSTORE_USERNAME": "shopper",
        "PETSTORE_PASSWORD": "pw",
    }
    with pytest.raises(ValueError, match=r"^cognitoEndpoint in https://page\.example/config\.json must be"):
        Settings.from_env(environ, fetch_config=lambda url: page)
    # The same endpoint set by hand is no better.
    environ["PETSTORE_COGNITO_ENDPOINT"] = "https://evil.example/"
    with pytest.raises(ValueError, match=r"^PETSTORE_COGNITO_ENDPOINT must be"):
        Settings.from_env(environ, fetch_config=lambda url: page)


def test_settings_come_from_a_config_url_over_https_or_on_loopback_only() -> None:
    environ = {"PETSTORE_CONFIG_URL": "http://page.example/config.json", "PETSTORE_USERNAME": "u"}
    fetched: list[str] = []
    with pytest.raises(ValueError, match=r"^PETSTORE_CONFIG_URL must be"):
        Settings.from_env(environ, fetch_config=lambda url: fetched.append(url) or {})
    assert fetched == []


def test_settings_never_show_the_password() -> None:
    assert "pw" not in repr(SETTINGS) and "staff" in repr(SETTINGS)


def test_the_password_is_not_posted_on_where_a_redirect_points() -> None:
    with Recorder() as elsewhere, Recorder(307, b"") as cognito:
        cognito.headers["Location"] = elsewhere.url
        settings = Settings(
            "http://127.0.0.1:9/", cognito.url, "client", "shopper", "pw", allow_local_cognito=True
        )
        with pytest.raises(SignInError, match="Cognito refused the sign-in"):
            PetStoreClient(settings).list_pets()
    assert len(cognito.requests) == 1 and b'"PASSWORD": "pw"' in cognito.requests[0].body
    assert elsewhere.requests == []


def test_a_config_json_that_redirects_is_not_followed() -> None:
    with (
        Recorder(200, b'{"cognitoEndpoint": "https://evil.example/"}') as elsewhere,
        Recorder(302, b"") as page,
    ):
        page.headers["Location"] = elsewhere.url
        environ = {"PETSTORE_CONFIG_URL": page.url, "PETSTORE_USERNAME": "u", "PETSTORE_PASSWORD": "p"}
        with pytest.raises(ValueError, match="redirects are not followed"):
            Settings.from_env(environ)
    assert elsewhere.requests == []
