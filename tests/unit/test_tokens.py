from decimal import Decimal

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.web.tokens import PageTokens

KEY = {"id": "42", "type": "dog", "price": Decimal("499.5")}


@pytest.fixture
def tokens() -> PageTokens:
    return PageTokens(b"0123456789abcdef0123456789abcdef")


def test_round_trip_keeps_types(tokens: PageTokens) -> None:
    token = tokens.encode(KEY, scope="s")
    assert token is not None and tokens.decode(token, scope="s") == KEY


def test_no_key_means_no_token(tokens: PageTokens) -> None:
    assert tokens.encode(None, scope="s") is None and tokens.decode(None, scope="s") is None


def test_a_token_of_another_scope_is_refused(tokens: PageTokens) -> None:
    token = tokens.encode(KEY, scope="query:a")
    with pytest.raises(InvalidInput, match="next_token"):
        tokens.decode(token, scope="query:b")


def test_a_token_signed_with_another_secret_is_refused(tokens: PageTokens) -> None:
    token = PageTokens(b"another secret of 32 bytes......").encode(KEY, scope="s")
    with pytest.raises(InvalidInput):
        tokens.decode(token, scope="s")


def test_a_changed_payload_is_refused(tokens: PageTokens) -> None:
    token = tokens.encode(KEY, scope="s")
    assert token is not None
    signature = token.split(".")[1]
    forged = PageTokens(b"x" * 32).encode({"id": "0"}, scope="s")
    assert forged is not None
    with pytest.raises(InvalidInput):
        tokens.decode(forged.split(".")[0] + "." + signature, scope="s")


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "." * 3, "x" * 5000, "%%%.%%%", "a.é", "é.é"])
def test_malformed_tokens_are_refused(tokens: PageTokens, token: str) -> None:
    with pytest.raises(InvalidInput):
        tokens.decode(token, scope="s")


def test_a_short_secret_is_a_configuration_mistake() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        PageTokens(b"short")
