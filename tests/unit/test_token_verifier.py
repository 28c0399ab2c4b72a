"""Token checks as API Gateway's Cognito authorizer makes them, and what a broken key set gives."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.adapters.auth import AGENT_SCOPE, User, user_from_claims
from chalicelib.adapters.token_verifier import TokenVerifier, key_set
from chalicelib.domain.errors import ServiceUnavailable, Unauthorized
from tests.support.keys import CLIENT_ID, ISSUER, SigningKey, StaticKeySet
from tests.support.recorder import Recorder

JWKS_PATH = "pool/.well-known/jwks.json"


@pytest.fixture
def keys(signing_key: SigningKey) -> StaticKeySet:
    return StaticKeySet(signing_key.jwks())


@pytest.fixture
def verifier(keys: StaticKeySet) -> TokenVerifier:
    return TokenVerifier(keys, ISSUER, CLIENT_ID)


def test_a_good_id_token_gives_its_claims(verifier: TokenVerifier, signing_key: SigningKey) -> None:
    claims = verifier.claims(signing_key.token("staff", groups=["staff"]))
    assert claims["cognito:username"] == "staff" and claims["cognito:groups"] == ["staff"]


def test_the_key_set_is_fetched_once(
    verifier: TokenVerifier, keys: StaticKeySet, signing_key: SigningKey
) -> None:
    for _ in range(3):
        verifier.claims(signing_key.token())
    assert keys.fetches == 1


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


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "", "....", "e30.e30.", "bnVsbA.e30.x"])
def test_malformed_tokens_are_refused(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(token)


def signed(key: SigningKey, claims: dict[str, Any], **header: Any) -> str:
    """``claims`` and ``header`` signed by ``key`` as they are, where PyJWT's encoder would refuse them."""
    parts = [
        base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=")
        for part in ({"alg": "RS256", "kid": key.kid, **header}, claims)
    ]
    signing_input = b".".join(parts)
    rsa = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256)
    signature = base64.urlsafe_b64encode(rsa.sign(signing_input, key._private)).rstrip(b"=")
    return b".".join([signing_input, signature]).decode()


WEIRD = [None, 1, -1, 1.5, 10**30, "", "x", [], ["a"], {}, {"a": 1}, True, "Infinity", float("nan")]


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf", "iss", "aud", "token_use", "cognito:username"])
@pytest.mark.parametrize("value", WEIRD, ids=repr)
def test_a_signed_token_with_a_claim_of_any_type_is_a_401_or_its_claims_never_a_crash(
    verifier: TokenVerifier, signing_key: SigningKey, claim: str, value: Any
) -> None:
    claims = jwt.decode(signing_key.token(), options={"verify_signature": False}) | {claim: value}
    try:
        verified = verifier.claims(signed(signing_key, claims))
    except Unauthorized:
        return
    # Accepted only as signed, and only where the value is one the claim may have (iat=1 is 1970,
    # exp=10**30 far ahead).
    assert json.dumps(verified) == json.dumps(claims)
    assert claim in ("exp", "iat", "nbf", "cognito:username")


@pytest.mark.parametrize(
    "header",
    [{"kid": 1}, {"kid": None}, {"kid": ""}, {"kid": ["test-key"]}, {"kid": {"a": 1}}, {"kid": "other"}],
    ids=repr,
)
def test_a_token_naming_no_key_of_the_pool_is_refused(
    verifier: TokenVerifier, signing_key: SigningKey, header: dict[str, Any]
) -> None:
    claims = jwt.decode(signing_key.token(), options={"verify_signature": False})
    with pytest.raises(Unauthorized):
        verifier.claims(signed(signing_key, claims, **header))


def test_an_unknown_kid_fetches_the_set_again_at_most_once_in_a_while(signing_key: SigningKey) -> None:
    with Recorder(200, json.dumps(signing_key.jwks()).encode()) as server:
        verifier = TokenVerifier(key_set(server.url + JWKS_PATH), ISSUER, CLIENT_ID)
        verifier.claims(signing_key.token())
        for _ in range(5):
            with pytest.raises(Unauthorized):
                verifier.claims(SigningKey(kid="forged").token())
        assert len(server.requests) == 1


def test_a_key_rotated_into_the_set_is_found(signing_key: SigningKey) -> None:
    rotated = SigningKey(kid="rotated-in")
    with Recorder(200, json.dumps(signing_key.jwks()).encode()) as server:
        keys = jwt.PyJWKClient(server.url + JWKS_PATH, lifespan=3600, cooldown_duration=0)
        verifier = TokenVerifier(keys, ISSUER, CLIENT_ID)
        verifier.claims(signing_key.token())
        server.body = json.dumps({"keys": signing_key.jwks()["keys"] + rotated.jwks()["keys"]}).encode()
        assert verifier.claims(rotated.token())["cognito:username"] == "shopper"
        assert len(server.requests) == 2


def ec_key(kid: str) -> dict[str, Any]:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    return {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public)), "kid": kid}


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(lambda kid: ec_key(kid), id="ec-key"),
        pytest.param(lambda kid: {**ec_key(kid), "alg": "ES256"}, id="ec-key-es256"),
        pytest.param(lambda kid: {"kty": "oct", "k": "c2VjcmV0", "kid": kid}, id="hmac-secret"),
    ],
)
def test_a_key_of_the_wrong_type_under_the_tokens_kid_is_a_401(signing_key: SigningKey, key: Any) -> None:
    verifier = TokenVerifier(StaticKeySet({"keys": [key(signing_key.kid)]}), ISSUER, CLIENT_ID)
    with pytest.raises(Unauthorized):
        verifier.claims(signing_key.token())


def good_key_with(signing_key: SigningKey, **changes: Any) -> dict[str, Any]:
    return {"keys": [{**signing_key.jwks()["keys"][0], **changes}]}


MALFORMED_KEY_SETS = {
    "a-list": lambda key: [1, 2],
    "a-string": lambda key: "keys",
    "null": lambda key: None,
    "no-keys": lambda key: {},
    "empty-keys": lambda key: {"keys": []},
    "keys-not-a-list": lambda key: {"keys": "x"},
    "keys-not-objects": lambda key: {"keys": [1, "x", None]},
    "bad-modulus": lambda key: good_key_with(key, n="!!"),
    "unknown-kty": lambda key: good_key_with(key, kty="XYZ"),
    "kty-a-list": lambda key: good_key_with(key, kty=["RSA"]),
    "alg-a-list": lambda key: good_key_with(key, alg=["RS256"]),
    "alg-an-object": lambda key: good_key_with(key, alg={"a": 1}),
    "only-encryption-keys": lambda key: good_key_with(key, use="enc"),
    "no-kid": lambda key: good_key_with(key, kid=None),
}


@pytest.mark.parametrize("make", MALFORMED_KEY_SETS.values(), ids=MALFORMED_KEY_SETS.keys())
def test_a_malformed_key_set_is_a_503(signing_key: SigningKey, make: Any) -> None:
    verifier = TokenVerifier(StaticKeySet(make(signing_key)), ISSUER, CLIENT_ID)
    with pytest.raises(ServiceUnavailable, match="retry"):
        verifier.claims(signing_key.token())


def test_an_unreachable_key_set_is_a_503_not_a_401(signing_key: SigningKey) -> None:
    offline = TokenVerifier(jwt.PyJWKClient("http://127.0.0.1:9/jwks.json", timeout=1), ISSUER, CLIENT_ID)
    with pytest.raises(ServiceUnavailable):
        offline.claims(signing_key.token())


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, b"<html>Service Unavailable</html>"),
        (200, b""),
        (200, b'{"keys": ['),
        (200, b"[]"),
        (500, b'{"message": "internal"}'),
        (404, b"not found"),
        (302, b""),
    ],
    ids=["html", "empty", "truncated-json", "json-list", "500", "404", "redirect"],
)
def test_a_key_set_endpoint_answering_badly_is_a_503(
    signing_key: SigningKey, status: int, body: bytes
) -> None:
    with Recorder(status, body, {"Location": "http://127.0.0.1:9/"}) as server:
        verifier = TokenVerifier(key_set(server.url + JWKS_PATH), ISSUER, CLIENT_ID)
        with pytest.raises(ServiceUnavailable):
            verifier.claims(signing_key.token())


def test_the_key_set_over_http_checks_a_good_token(signing_key: SigningKey) -> None:
    with Recorder(200, json.dumps(signing_key.jwks()).encode()) as server:
        verifier = TokenVerifier(key_set(server.url + JWKS_PATH), ISSUER, CLIENT_ID)
        assert verifier.claims(signing_key.token("staff"))["cognito:username"] == "staff"


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
