"""Helpers for the browser tests: driving the page, reading what it shows, and axe-core checks.

People to sign in as are in tests/support/accounts.py, answers instead of the API's in
tests/support/scripted.py."""

from __future__ import annotations

import re
import shutil
import uuid
import warnings
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from localdev.stack import LocalStack
from tests.support.accounts import pool_id

PROJECT_DIR = Path(__file__).resolve().parents[2]
FRONTEND_DIR = PROJECT_DIR / "frontend"
ARTIFACTS = PROJECT_DIR / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# --no-sandbox: tests run as root; the rest keep Chromium from calling home on a network that refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
XSS_NAME = "<img src=x onerror=alert(1)>"
DOG_QUESTION = "cheap dogs under $500, youngest first"
QUESTION_BOX = "Ask about pets"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make browser-deps)"
)


class Watched:
    """A page plus what it did that a test may want to forbid: JS errors and alert() dialogs."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


# ---------- driving the page ----------


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # let a smooth scroll settle
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_sign_in(page: Page, stack: LocalStack) -> None:
    """Opens the page and waits for the sign-in form."""
    page.goto(stack.page_url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def open_without_config(page: Page, stack: LocalStack) -> Locator:
    """Opens the page with its config.json missing; returns the error panel, once it shows."""
    page.route("**/config.json", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(stack.page_url)
    error = page.locator("#config-error")
    expect(error).to_be_visible()
    return error


def submit_sign_in(page: Page, stack: LocalStack, username: str, password: str | None = None) -> None:
    """Opens the page and sends the sign-in form filled in, without waiting for what comes of it."""
    page.goto(stack.page_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password or stack.password)
    page.get_by_label("Password", exact=True).press("Enter")


def log_in(page: Page, stack: LocalStack, username: str, password: str | None = None) -> None:
    submit_sign_in(page, stack, username, password)
    expect(page.locator("#who-name")).to_have_text(username)
    expect(question_box(page)).to_be_focused()


# Where the page keeps the conversation for a reload.
CONVERSATION_KEY = "petstore.conversation"


def reload_signed_in(page: Page, username: str) -> None:
    """Reloads the page and waits until the session has resumed and the chat is drawn again."""
    page.reload()
    expect(page.locator("#who-name")).to_have_text(username)
    expect(page.locator("#messages > li.msg-welcome")).to_have_count(1)


def question_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name=QUESTION_BOX)


def bot_messages(page: Page) -> Locator:
    return page.locator("#messages > li.msg-bot")


def settled(answer: Locator) -> Locator:
    """Waits until a bot message is no longer "Looking for pets", and returns it."""
    expect(answer).not_to_have_class(re.compile(r"msg-thinking"))
    return answer


def ask(page: Page, question: str) -> Locator:
    """Types a question, sends it, and returns the locator of its answer (or error) bubble."""
    before = bot_messages(page).count()
    box = question_box(page)
    box.fill(question)
    box.press("Enter")
    return settled(bot_messages(page).nth(before))


def click_to_ask(page: Page, button: Locator) -> Locator:
    """Presses a question button (an example, a suggestion) and returns the answer bubble it brings."""
    before = bot_messages(page).count()
    button.click()
    return settled(bot_messages(page).nth(before))


def top_once_scrolled(page: Page, target: Locator) -> dict[str, float]:
    """Waits until the page has stopped scrolling (ten frames alike), then says where ``target``'s top
    stands and where the sticky top bar ends, in pixels from the top of the view."""
    where: dict[str, float] = target.evaluate(
        """async element => {
            let last = null, still = 0;
            while (still < 10) {
                await new Promise(resolve => requestAnimationFrame(resolve));
                if (window.scrollY === last) still += 1;
                else [last, still] = [window.scrollY, 0];
            }
            return {
                top: element.getBoundingClientRect().top,
                bar: document.querySelector('.topbar').getBoundingClientRect().bottom,
            };
        }"""
    )
    return where


def card_data(answer: Locator) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = answer.locator(".pet-card").evaluate_all(
        """cards => cards.map(c => ({
            id: c.dataset.petId,
            name: c.querySelector('.pet-name').textContent,
            type: c.querySelector('.pet-type').textContent,
            breed: c.querySelector('.pet-breed').textContent,
            age: Number(c.querySelector('.pet-age').dataset.age),
            price: Number(c.querySelector('.pet-price').dataset.price),
            ageText: c.querySelector('.pet-age').textContent,
            priceText: c.querySelector('.pet-price').textContent,
        }))"""
    )
    return cards


def chips(answer: Locator) -> list[str]:
    return answer.get_by_role("list", name="Filters applied").locator("li").all_text_contents()


def shown_messages(page: Page) -> list[dict[str, Any]]:
    """The conversation as the page shows it: who said each message, its words (an answer's summary),
    and an answer's filter chips and pets."""
    shown: list[dict[str, Any]] = page.locator("#messages > li").evaluate_all(
        """items => items.map(li => {
            const user = li.classList.contains('msg-user');
            return {
                who: user ? 'user' : 'bot',
                text: user ? li.textContent : (li.querySelector('.summary') ?? li).textContent,
                chips: [...li.querySelectorAll('.chip')].map(chip => chip.textContent),
                pets: [...li.querySelectorAll('.pet-card')].map(card => card.dataset.petId),
            };
        })"""
    )
    return shown


def storage(page: Page) -> dict[str, str]:
    items: dict[str, str] = page.evaluate("() => Object.assign({}, sessionStorage)")
    return items


PET_FIELDS = ("name", "type", "breed", "age", "price")
PET_LABELS = {
    "name": "Name",
    "type": "Type",
    "breed": "Breed",
    "age": "Age in years",
    "price": "Price in US dollars",
}


def add_form_values(page: Page) -> dict[str, str]:
    return {field: page.locator(f"#pet-{field}").input_value() for field in PET_FIELDS}


def open_add_form(page: Page) -> Locator:
    """Opens the "Add a pet" dialog from the top bar and returns it."""
    page.get_by_role("button", name="Add a pet").click()
    dialog = page.get_by_role("dialog", name="Add a pet")
    expect(dialog).to_be_visible()
    return dialog


def fill_add_form(dialog: Locator, **values: str) -> None:
    """Types ``values`` (name, type, breed, age, price) into the open dialog's fields."""
    for field, value in values.items():
        dialog.get_by_label(PET_LABELS[field]).fill(value)


# ---------- the stack behind the page ----------


def all_pets(stack: LocalStack) -> list[dict[str, Any]]:
    headers = {"Authorization": stack.id_token("shopper")}
    pets: list[dict[str, Any]] = []
    token = None
    while True:
        params: dict[str, Any] = {"limit": 100}
        if token:
            params["next_token"] = token
        answer = requests.get(stack.api_url + "pets", headers=headers, params=params, timeout=10)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        pets.extend(body["pets"])
        token = body.get("next_token")
        if not token:
            return pets


def reach_the_new_password_screen(page: Page, stack: LocalStack) -> str:
    """Makes a user who must choose a password, signs in as them, and waits for that screen."""
    username = f"newcomer-{uuid.uuid4().hex[:8]}"
    stack.client("cognito-idp").admin_create_user(
        UserPoolId=pool_id(stack),
        Username=username,
        TemporaryPassword="Temporary-Pass-1!",
        MessageAction="SUPPRESS",
    )
    submit_sign_in(page, stack, username, "Temporary-Pass-1!")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    return username


# ---------- accessibility ----------


class AccessibilityWarning(UserWarning):
    """axe-core found something of moderate or minor impact: reported, not failed."""


_BLOCKING = {"serious", "critical"}


def assert_accessible(page: Page, screen: str) -> list[dict[str, Any]]:
    """Runs axe-core (the copy axe-playwright-python bundles) on the page as it is now.

    Fails on any violation of serious or critical impact; warns about the others. Returns them all.
    """
    from axe_playwright_python.sync_playwright import Axe

    violations: list[dict[str, Any]] = Axe().run(page).response["violations"]
    for violation in violations:
        if violation["impact"] not in _BLOCKING:
            warnings.warn(
                f"axe on {screen}: {violation['impact']} {violation['id']}: {violation['help']} "
                f"({', '.join(_targets(violation))})",
                AccessibilityWarning,
                stacklevel=2,
            )
    blocking = [v for v in violations if v["impact"] in _BLOCKING]
    assert blocking == [], f"axe on {screen}:\n" + "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']} at {', '.join(_targets(v))}" for v in blocking
    )
    return violations


def _targets(violation: dict[str, Any]) -> list[str]:
    return [" ".join(map(str, node["target"])) for node in violation["nodes"]]
