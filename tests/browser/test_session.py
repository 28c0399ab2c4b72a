"""Keeping a session: refreshing tokens, logging out (and revoking the refresh token), a dead session."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import Page, Route, expect

from localdev.stack import LocalStack
from tests.support.accounts import (
    client_id,
    jwt_with,
)
from tests.support.browser import (
    ask,
    card_data,
    log_in,
    question_box,
    shot,
    storage,
)
from tests.support.scripted import (
    fulfill_json,
    on_cognito,
)


@pytest.mark.parametrize("kind", ["expired-jwt", "not-a-jwt"])
def test_stale_id_token_is_refreshed_and_the_question_answered(
    page: Page, local_stack: LocalStack, kind: str
) -> None:
    log_in(page, local_stack, "shopper")
    saved = storage(page)
    id_key = next(key for key in saved if key.endswith("idToken"))
    if kind == "expired-jwt":
        claims = {"cognito:username": "shopper", "token_use": "id", "exp": int(time.time()) - 60}
        stale = jwt_with(claims)
        # the page still believes it is valid, so only the API's 401 can trigger the refresh
        page.evaluate(
            "([key, token]) => { sessionStorage.setItem(key, token);"
            " sessionStorage.setItem('petstore.expiresAt', String(Date.now() + 3600e3)); }",
            [id_key, stale],
        )
    else:
        stale = "bogus"
        page.evaluate("([key, token]) => sessionStorage.setItem(key, token)", [id_key, stale])
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if r.url.endswith("/pets/query") else None)
    answer = ask(page, "cats")
    expect(answer).to_have_class(re.compile("msg-answer"))
    assert card_data(answer), "no cats in the answer"
    fresh = storage(page)[id_key]
    assert fresh != stale and fresh.count(".") == 2, fresh
    if kind == "expired-jwt":
        assert statuses[:1] == [401], statuses
    else:
        assert 401 not in statuses, statuses


def test_log_out_clears_the_session_and_the_chat(page: Page, local_stack: LocalStack) -> None:
    """Against the emulator, which answers RevokeToken as Cognito does, without revoking."""
    log_in(page, local_stack, "staff")
    ask(page, "cats")
    expect(page.locator("#refine")).to_be_visible()
    assert storage(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_focused()
    assert storage(page) == {}
    expect(page.locator("#messages > li")).to_have_count(0)
    expect(page.locator("#who-name")).to_be_hidden()
    expect(page.locator("#login-notice")).to_have_text("You are signed out.")
    expect(page.locator("#login-error")).to_be_empty()
    shot(page, "logged-out")
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    log_in(page, local_stack, "shopper")  # the next person starts with nothing of the last one's
    expect(page.locator("#refine")).to_be_hidden()
    expect(page.locator("#messages > li")).to_have_count(1)


def test_log_out_revokes_the_refresh_token_at_cognito(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    refresh_token = next(value for key, value in storage(page).items() if key.endswith("refreshToken"))
    on_cognito(page, local_stack, "RevokeToken", lambda route: fulfill_json(route, 200, {}))
    is_revoke = lambda request: request.headers.get("x-amz-target", "").endswith(".RevokeToken")  # noqa: E731
    with page.expect_request(is_revoke) as sent:
        page.get_by_role("button", name="Log out").click()
    request = sent.value
    assert request.url == f"{local_stack.aws_url}/"
    assert request.headers["x-amz-target"] == "AWSCognitoIdentityProviderService.RevokeToken"
    assert request.headers["content-type"] == "application/x-amz-json-1.1"
    body = json.loads(request.post_data or "null")
    assert body == {"Token": refresh_token, "ClientId": client_id(local_stack)}
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#login-error")).to_be_empty()
    assert storage(page) == {}


@pytest.mark.parametrize("failure", ["refused", "error-answer"])
def test_a_failed_revoke_still_logs_out(page: Page, local_stack: LocalStack, failure: str) -> None:
    def fail(route: Route) -> None:
        if failure == "refused":
            route.abort("connectionrefused")
        else:
            fulfill_json(route, 400, {"__type": "UnsupportedOperationException", "message": "Nope."})

    log_in(page, local_stack, "shopper")
    on_cognito(page, local_stack, "RevokeToken", fail)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#login-notice")).to_have_text("You are signed out.")
    expect(page.locator("#login-error")).to_be_empty()
    assert storage(page) == {}
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_dead_refresh_token_ends_the_session_with_a_note(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    page.evaluate(
        "() => { for (const key of Object.keys(sessionStorage))"
        " if (/Token$/.test(key)) sessionStorage.setItem(key, 'revoked'); }"
    )
    box = question_box(page)
    box.fill("cats")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#login-notice")).to_contain_text("session has ended")
    assert storage(page) == {}
