import time
from typing import Any

import jwt
import pytest

from chalicelib.adapters.auth import AGENT_SCOPE, TokenVerifier, User, bearer_token, user_from_claims
from chalicelib.domain.errors import Forbidden, ServiceUnavailable, Unauthorized
from tests.support.keys import CLIENT_ID, ISSUER, SigningKey, StaticKeySet


@pytest.fixture
def key_set(signing_key: SigningKey) -> StaticKeySet:
    return StaticKeySet(signing_key.jwks())


@pytest.fixture
def verifier(key_set: StaticKeySet) -> TokenVerifier:
    return TokenVerifier(key_set, ISSUER, CLIENT_ID)


def test_a_good_id_token_gives_its_claims(verifier: TokenVerifier, signing_key: SigningKey) -> None:
    claims = verifier.claims(signing_key.token("staff", groups=["staff"]))
    assert claims["cognito:username"] == "staff" and claims["cognito:groups"] == ["staff"]


def test_the_key_set_is_fetched_once(
    verifier: TokenVerifier, key_set: StaticKeySet, signing_key: SigningKey
) -> None:
    for _ in range(3):
        verifier.claims(signing_key.token())
    assert key_set.fetches == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 10},
        {"aud": "another-client"},
        {"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"},
        {"token_use": "access"},
        {"token_use": None},
        {"exp": None},
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "access-token", "no-token-use", "no-expiry"],
)
def test_tokens_the_gateway_would_refuse_are_refused(
    verifier: TokenVerifier, signing_key: SigningKey, overrides: dict[str, Any]
) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(signing_key.token(**overrides))


def test_a_token_signed_by_another_key_is_refused(verifier: TokenVerifier) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(SigningKey().token())


def test_an_unsigned_token_is_refused(verifier: TokenVerifier, signing_key: SigningKey) -> None:
    claims = jwt.decode(signing_key.token(), options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none", headers={"kid": signing_key.kid})
    with pytest.raises(Unauthorized):
        verifier.claims(unsigned)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "", "...."])
def test_malformed_tokens_are_refused(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(token)


def test_an_unreachable_key_set_is_a_503_not_a_401(signing_key: SigningKey) -> None:
    offline = TokenVerifier(jwt.PyJWKClient("http://127.0.0.1:9/jwks.json", timeout=1), ISSUER, CLIENT_ID)
    with pytest.raises(ServiceUnavailable):
        offline.claims(signing_key.token())


@pytest.mark.parametrize(
    ("header", "token"),
    [("abc.def.ghi", "abc.def.ghi"), ("Bearer abc.def", "abc.def"), ("bearer  x.y", "x.y")],
)
def test_bearer_prefix_is_optional(header: str, token: str) -> None:
    assert bearer_token({"authorization": header}) == token


@pytest.mark.parametrize("headers", [{}, {"authorization": ""}, {"authorization": "Bearer "}])
def test_no_token_is_unauthorized(headers: dict[str, str]) -> None:
    with pytest.raises(Unauthorized):
        bearer_token(headers)


@pytest.mark.parametrize("groups", [["staff"], "staff", "[staff admin]", "admin,staff"])
def test_staff_group_in_every_form_the_gateway_passes(groups: Any) -> None:
    user_from_claims({"cognito:username": "s", "cognito:groups": groups}).require_staff()


@pytest.mark.parametrize("groups", [None, [], "", "staffing", ["admins"]])
def test_others_are_not_staff(groups: Any) -> None:
    with pytest.raises(Forbidden):
        user_from_claims({"cognito:username": "s", "cognito:groups": groups}).require_staff()


@pytest.mark.parametrize("claims", [None, {}, {"sub": "x"}])
def test_no_claims_is_unauthorized(claims: dict[str, str] | None) -> None:
    with pytest.raises(Unauthorized):
        user_from_claims(claims)


def agent_token(key: SigningKey, **overrides: Any) -> str:
    claims: dict[str, Any] = {
        "token_use": "access",
        "aud": None,
        "client_id": "agent-client",
        "scope": AGENT_SCOPE,
    }
    return key.token("agent", **{"cognito:username": None, **claims, **overrides})


def test_an_agents_access_token_gives_its_claims(verifier: TokenVerifier, signing_key: SigningKey) -> None:
    claims = verifier.claims(agent_token(signing_key), agent=True)
    assert user_from_claims(claims, agent=True) == User("agent:agent-client", frozenset())


@pytest.mark.parametrize(
    "overrides",
    [{"scope": "petstore/other"}, {"scope": None}, {"token_use": "id"}, {"client_id": None}, {"exp": 1}],
    ids=["other-scope", "no-scope", "id-token", "no-client", "expired"],
)
def test_agent_tokens_without_the_scope_or_of_the_wrong_kind_are_refused(
    verifier: TokenVerifier, signing_key: SigningKey, overrides: dict[str, Any]
) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(agent_token(signing_key, **overrides), agent=True)


def test_people_and_agents_cannot_use_each_others_tokens(
    verifier: TokenVerifier, signing_key: SigningKey
) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(signing_key.token("shopper"), agent=True)
    with pytest.raises(Unauthorized):
        verifier.claims(agent_token(signing_key))


@pytest.mark.parametrize(
    "claims",
    [None, {"cognito:username": "shopper"}, {"client_id": "c", "scope": "other"}, {"scope": AGENT_SCOPE}],
)
def test_gateway_claims_without_the_agents_scope_are_no_agent(claims: dict[str, str] | None) -> None:
    with pytest.raises(Unauthorized):
        user_from_claims(claims, agent=True)


def test_an_agent_may_not_write() -> None:
    agent = user_from_claims({"client_id": "c", "scope": f"openid {AGENT_SCOPE}"}, agent=True)
    with pytest.raises(Forbidden):
        agent.require_staff()
