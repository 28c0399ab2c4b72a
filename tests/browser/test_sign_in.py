"""The sign-in screen: settings, signing in as each user, failures, and the new-password step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from localdev.stack import LocalStack
from tests.support.accounts import (
    client_id,
)
from tests.support.browser import (
    DOG_QUESTION,
    log_in,
    open_sign_in,
    open_without_config,
    reach_the_new_password_screen,
    shot,
    storage,
    submit_sign_in,
)


def test_missing_config_says_so(page: Page, local_stack: LocalStack) -> None:
    error = open_without_config(page, local_stack)
    expect(error).to_contain_text("config.json")
    expect(page.get_by_label("Username")).to_be_hidden()
    shot(page, "config-missing")


def test_shopper_logs_in_and_sees_example_questions(page: Page, local_stack: LocalStack) -> None:
    open_sign_in(page, local_stack)
    shot(page, "login")
    log_in(page, local_stack, "shopper")
    expect(page.locator("#who-role")).to_have_text("Shopper")
    examples = page.get_by_role("list", name="Example questions").get_by_role("button")
    expect(examples.first).to_be_visible()
    assert DOG_QUESTION in examples.all_text_contents()
    saved = storage(page)
    assert any(key.endswith("idToken") and value.count(".") == 2 for key, value in saved.items()), saved
    assert any(key.endswith("refreshToken") and value for key, value in saved.items()), saved
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    shot(page, "welcome-shopper")


def test_staff_logs_in_and_is_shown_as_staff(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    expect(page.locator("#who-role")).to_have_text("Staff")
    expect(page.get_by_role("button", name="Add a pet")).to_be_visible()
    shot(page, "welcome-staff")


@pytest.mark.parametrize(
    ("username", "password", "expected"),
    [
        ("shopper", "Not-The-Password-1!", "Wrong username or password"),
        ("nobody-here", "Not-The-Password-1!", "no account with that username"),
    ],
    ids=["wrong-password", "unknown-user"],
)
def test_failed_sign_in_says_why(
    page: Page, local_stack: LocalStack, username: str, password: str, expected: str
) -> None:
    submit_sign_in(page, local_stack, username, password)
    expect(page.get_by_role("alert").filter(has_text=expected)).to_be_visible()
    expect(page.locator("#chat-view")).to_be_hidden()
    assert storage(page) == {}
    shot(page, f"login-{username}-failed")


def test_unreachable_sign_in_service_says_so(page: Page, local_stack: LocalStack) -> None:
    page.route(f"{local_stack.aws_url}/**", lambda route: route.abort("connectionrefused"))
    page.goto(local_stack.page_url)
    page.get_by_label("Username").fill("shopper")
    page.get_by_label("Password", exact=True).fill(local_stack.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").filter(has_text="Can't reach the sign-in service")).to_be_visible()


def test_new_password_challenge_sets_a_password_and_signs_in(page: Page, local_stack: LocalStack) -> None:
    username = reach_the_new_password_screen(page, local_stack)
    cognito = local_stack.client("cognito-idp")
    page.get_by_label("New password", exact=True).fill("Brand-New-Pass-2!")
    page.get_by_label("Repeat the new password").fill("Brand-New-Pass-2!")
    shot(page, "new-password")
    page.get_by_label("Repeat the new password").press("Enter")
    expect(page.locator("#who-name")).to_have_text(username)
    cognito.initiate_auth(  # the new password now works outside the page too
        ClientId=client_id(local_stack),
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": "Brand-New-Pass-2!"},
    )
