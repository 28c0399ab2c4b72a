"""Two-step sign-in: the authenticator app's code at sign-in, and setting it up from the chat.

The emulator plays both flows as Cognito does (a fixed key, codes checked against it). What it
cannot play is answered with Cognito's own words through ``page.route``: a sign-in step whose
session has expired, and VerifySoftwareToken's EnableSoftwareTokenMFAException for a wrong code.
"""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import Locator, Page, Request, expect

from localdev.stack import LocalStack
from tests.support.accounts import (
    app_code,
    new_user,
    pool_id,
    user_with_two_step,
    wrong_code,
)
from tests.support.browser import (
    log_in,
    question_box,
    shot,
    storage,
    submit_sign_in,
)
from tests.support.scripted import (
    fulfill_json,
    on_cognito,
)

OFFER = "Set up two-step sign-in"
WRONG = "That code is not right"


def reach_the_code_step(page: Page, stack: LocalStack, username: str) -> tuple[Locator, str]:
    """Signs in with the password and waits for the code step; returns its code box and the
    challenge's Session that Cognito answered the password with."""
    is_sign_in = lambda response: response.request.headers.get("x-amz-target", "").endswith(".InitiateAuth")  # noqa: E731
    with page.expect_response(is_sign_in) as answered:
        submit_sign_in(page, stack, username)
    challenge = answered.value.json()
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA", challenge
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    box = page.get_by_label("6-digit code", exact=True)
    expect(box).to_be_focused()
    return box, challenge["Session"]


def cognito_calls(page: Page) -> list[dict[str, Any]]:
    """Every Cognito call the page makes from now on: its action and its body."""
    calls: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        target = request.headers.get("x-amz-target", "")
        if target.startswith("AWSCognitoIdentityProviderService."):
            calls.append({"action": target.split(".")[-1], **json.loads(request.post_data or "{}")})

    page.on("request", record)
    return calls


def test_sign_in_asks_for_the_apps_code(page: Page, local_stack: LocalStack) -> None:
    username, secret = user_with_two_step(local_stack)
    calls = cognito_calls(page)
    box, challenge_session = reach_the_code_step(page, local_stack, username)
    expect(page.get_by_label("Password", exact=True)).to_be_hidden()
    shot(page, "two-step-code")
    box.fill("12")
    box.press("Enter")
    expect(page.locator("#code-error")).to_have_text("Enter the 6-digit code your authenticator app shows.")
    box.fill(wrong_code(secret))
    box.press("Enter")
    expect(page.locator("#code-error")).to_contain_text(WRONG)  # the emulator checks the code
    expect(box).to_be_focused()
    shot(page, "two-step-code-wrong")
    code = app_code(secret)
    box.fill(f"{code[:3]} {code[3:]}")  # as some apps show it
    box.press("Enter")
    expect(page.locator("#who-name")).to_have_text(username)
    expect(question_box(page)).to_be_focused()
    answer = calls[-1]
    assert answer["action"] == "RespondToAuthChallenge" and answer["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert answer["ChallengeResponses"] == {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code}
    assert answer["Session"] == challenge_session
    saved = storage(page)
    assert saved["petstore.accessToken"].count(".") == 2 and saved["petstore.twoStep"] == "on"
    expect(page.get_by_role("button", name=OFFER)).to_have_count(0)  # already on: not offered


def test_an_expired_code_step_starts_again(page: Page, local_stack: LocalStack) -> None:
    """Cognito's challenge session lasts minutes, the emulator's forever: Cognito's answer is recorded."""
    username, secret = user_with_two_step(local_stack)
    expired = {
        "__type": "NotAuthorizedException",
        "message": "Invalid session for the user, session is expired.",
    }
    on_cognito(page, local_stack, "RespondToAuthChallenge", lambda route: fulfill_json(route, 400, expired))
    box, _ = reach_the_code_step(page, local_stack, username)
    box.fill(app_code(secret))
    box.press("Enter")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#login-notice")).to_have_text("That sign-in took too long. Please sign in again.")
    expect(page.get_by_label("Username")).to_be_focused()
    assert storage(page) == {}


def test_back_from_the_code_step_signs_in_afresh(page: Page, local_stack: LocalStack) -> None:
    username, _ = user_with_two_step(local_stack)
    reach_the_code_step(page, local_stack, username)
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_value("")


def open_setup(page: Page) -> tuple[Locator, str]:
    """Opens the setup from the welcome's offer; returns the dialog and the key it shows."""
    page.get_by_role("button", name=OFFER).click()
    dialog = page.get_by_role("dialog", name=OFFER)
    expect(dialog).to_be_visible()
    key = dialog.locator("#twostep-key")
    expect(key).not_to_have_text("Getting a key…")
    expect(dialog.get_by_label("Type the 6-digit code the app shows")).to_be_focused()
    return dialog, (key.text_content() or "").replace(" ", "")


def test_staff_set_up_two_step_sign_in_and_then_need_the_code(page: Page, local_stack: LocalStack) -> None:
    username = new_user(local_stack)
    log_in(page, local_stack, username)
    calls = cognito_calls(page)
    access_token = storage(page)["petstore.accessToken"]
    dialog, secret = open_setup(page)
    assert re.fullmatch(r"[A-Za-z2-7]+", secret), secret
    link = dialog.get_by_role("link", name="open this link on your phone")
    expect(link).to_have_attribute(
        "href", f"otpauth://totp/Pet%20Store:{username}?secret={secret}&issuer=Pet%20Store"
    )
    shot(page, "two-step-setup")
    box = dialog.get_by_label("Type the 6-digit code the app shows")
    box.fill(wrong_code(secret))
    box.press("Enter")
    expect(dialog.locator("#twostep-error")).to_contain_text(WRONG)  # the emulator checks the code
    box.fill(app_code(secret))
    box.press("Enter")
    expect(dialog.get_by_role("status")).to_contain_text("Two-step sign-in is on.")
    shot(page, "two-step-setup-done")
    assert [call["action"] for call in calls] == [
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
    ]
    assert all(call["AccessToken"] == access_token for call in calls)
    assert calls[-1]["SoftwareTokenMfaSettings"] == {"Enabled": True, "PreferredMfa": True}
    user = local_stack.client("cognito-idp").admin_get_user(
        UserPoolId=pool_id(local_stack), Username=username
    )
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".msg-welcome")).to_contain_text("Two-step sign-in is on for your account.")

    page.get_by_role("button", name="Log out").click()
    box, _ = reach_the_code_step(page, local_stack, username)
    box.fill(app_code(secret))
    box.press("Enter")
    expect(page.locator("#who-name")).to_have_text(username)


def test_a_wrong_setup_code_in_cognitos_words(page: Page, local_stack: LocalStack) -> None:
    """Cognito refuses a wrong code at VerifySoftwareToken with EnableSoftwareTokenMFAException."""
    log_in(page, local_stack, new_user(local_stack))
    mismatch = {
        "__type": "EnableSoftwareTokenMFAException",
        "message": "Code mismatch and fail enable Software Token MFA",
    }
    on_cognito(page, local_stack, "VerifySoftwareToken", lambda route: fulfill_json(route, 400, mismatch))
    dialog, secret = open_setup(page)
    dialog.get_by_label("Type the 6-digit code the app shows").fill(app_code(secret))
    dialog.get_by_role("button", name="Turn on").click()
    expect(dialog.locator("#twostep-error")).to_contain_text(WRONG)
    expect(dialog.get_by_role("button", name="Turn on")).to_be_visible()


def test_setup_refreshes_an_access_token_cognito_refuses(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, new_user(local_stack))
    page.evaluate("() => sessionStorage.setItem('petstore.accessToken', 'no-longer-good')")
    calls = cognito_calls(page)
    open_setup(page)
    tokens = [(call["action"], call.get("AccessToken")) for call in calls]
    assert tokens[0] == ("AssociateSoftwareToken", "no-longer-good")  # refused by the emulator
    assert [action for action, _ in tokens[1:]] == ["InitiateAuth", "AssociateSoftwareToken"]
    assert tokens[2][1] == storage(page)["petstore.accessToken"] != "no-longer-good"


def test_shoppers_are_not_offered_it(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    expect(page.locator(".msg-welcome")).to_be_visible()
    expect(page.get_by_role("button", name=OFFER)).to_have_count(0)
