"""Page tokens: signed, bound to their route and to what was asked, and good for a day."""

from decimal import Decimal

import pytest

from chalicelib.domain.errors import ConfigurationError, InvalidInput
from chalicelib.web.paging import MAX_TOKEN_CHARS, TOKEN_TTL_SECONDS, PageTokens
from tests.support.clock import FakeClock

KEY = {"id": "42", "type": "dog", "price": Decimal("499.5")}
ROUTE = "POST /pets/query"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_800_000_000)


@pytest.fixture
def tokens(clock: FakeClock) -> PageTokens:
    return PageTokens(b"0123456789abcdef0123456789abcdef", clock)


def test_round_trip_keeps_types(tokens: PageTokens) -> None:
    token = tokens.encode(KEY, ROUTE, "dogs")
    assert token is not None and tokens.decode(token, ROUTE, "dogs") == KEY


def test_no_key_means_no_token(tokens: PageTokens) -> None:
    assert tokens.encode(None, ROUTE) is None and tokens.decode(None, ROUTE) is None


def test_a_token_of_another_route_is_refused(tokens: PageTokens) -> None:
    token = tokens.encode(KEY, "POST /pets/query")
    with pytest.raises(InvalidInput, match="next_token is not valid"):
        tokens.decode(token, "POST /agent/pets/query")


def test_a_token_of_another_question_is_refused_and_says_to_start_again(tokens: PageTokens) -> None:
    token = tokens.encode(KEY, ROUTE, "dogs\n")
    with pytest.raises(InvalidInput, match="belongs to another question: start again"):
        tokens.decode(token, ROUTE, "cats\n")


def test_a_token_expires_after_a_day(tokens: PageTokens, clock: FakeClock) -> None:
    token = tokens.encode(KEY, ROUTE)
    clock.advance(TOKEN_TTL_SECONDS)
    assert tokens.decode(token, ROUTE) == KEY
    clock.advance(1)
    with pytest.raises(InvalidInput, match="expired: start again"):
        tokens.decode(token, ROUTE)


def test_a_token_signed_with_another_secret_is_refused(tokens: PageTokens) -> None:
    token = PageTokens(b"another secret of 32 bytes......").encode(KEY, ROUTE)
    with pytest.raises(InvalidInput):
        tokens.decode(token, ROUTE)


def test_a_changed_payload_is_refused(tokens: PageTokens) -> None:
    token = tokens.encode(KEY, ROUTE)
    assert token is not None
    signature = token.split(".")[1]
    forged = PageTokens(b"x" * 32).encode({"id": "0"}, ROUTE)
    assert forged is not None
    with pytest.raises(InvalidInput):
        tokens.decode(forged.split(".")[0] + "." + signature, ROUTE)


@pytest.mark.parametrize(
    "token", ["garbage", "a.b.c", "." * 3, "x" * (MAX_TOKEN_CHARS + 1), "%%%.%%%", "a.é", "é.é"]
)
def test_malformed_tokens_are_refused(tokens: PageTokens, token: str) -> None:
    with pytest.raises(InvalidInput):
        tokens.decode(token, ROUTE)


def test_a_big_state_stays_small(tokens: PageTokens) -> None:
    positions = {f"breed:breed-number-{n}:dog": {"id": f"{n:036d}", "price": Decimal(n)} for n in range(10)}
    token = tokens.encode({"positions": positions, "filters": "x" * 1000}, ROUTE)
    assert token is not None and len(token) < MAX_TOKEN_CHARS // 2


def test_a_short_secret_is_a_configuration_mistake() -> None:
    with pytest.raises(ConfigurationError, match="16\\+ bytes"):
        PageTokens(b"short")
