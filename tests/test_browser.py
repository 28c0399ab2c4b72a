"""The chat page in a real browser (Playwright + Debian's Chromium) against the real local stack."""

from __future__ import annotations

import base64
import json
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from localdev.stack import LocalStack

PROJECT_DIR = Path(__file__).resolve().parent.parent
FRONTEND_DIR = PROJECT_DIR / "frontend"
ARTIFACTS = PROJECT_DIR / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make browser-deps)"
)


# ---------- fixtures ----------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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


def _open(browser: Browser, viewport: dict[str, int]) -> Iterator[Watched]:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.errors == [], f"JavaScript errors on the page: {watched.errors}"
    assert watched.dialogs == [], f"The page opened dialogs: {watched.dialogs}"


@pytest.fixture
def tab(browser: Browser) -> Iterator[Watched]:
    yield from _open(browser, DESKTOP)


@pytest.fixture
def phone_tab(browser: Browser) -> Iterator[Watched]:
    yield from _open(browser, PHONE)


@pytest.fixture
def page(tab: Watched) -> Page:
    return tab.page


# ---------- helpers ----------


def fulfill_json(route: Route, status: int, body: Any) -> None:
    route.fulfill(status=status, content_type="application/json", body=json.dumps(body))


def answer_api_with(page: Page, pattern: str, status: int, body: Any) -> None:
    """Every request to ``pattern`` gets this JSON answer instead of the API's."""
    page.route(pattern, lambda route: fulfill_json(route, status, body))


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # let a smooth scroll settle
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def log_in(page: Page, stack: LocalStack, username: str, password: str | None = None) -> None:
    page.goto(stack.page_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password or stack.password)
    page.get_by_label("Password", exact=True).press("Enter")
    expect(page.locator("#who-name")).to_have_text(username)
    expect(page.get_by_role("textbox", name="Ask about pets")).to_be_focused()


def ask(page: Page, question: str) -> Any:
    """Sends a question and returns the locator of its answer (or error) bubble."""
    before = page.locator("#messages > li.msg-bot").count()
    box = page.get_by_role("textbox", name="Ask about pets")
    box.fill(question)
    box.press("Enter")
    answer = page.locator("#messages > li.msg-bot").nth(before)
    expect(answer).not_to_have_class(re.compile(r"msg-thinking"))
    return answer


def card_data(answer: Any) -> list[dict[str, Any]]:
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


def storage(page: Page) -> dict[str, str]:
    items: dict[str, str] = page.evaluate("() => Object.assign({}, sessionStorage)")
    return items


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


def add_form_values(page: Page) -> dict[str, str]:
    return {
        field: page.locator(f"#pet-{field}").input_value()
        for field in ("name", "type", "breed", "age", "price")
    }


def pool_id(stack: LocalStack) -> str:
    assert stack.pool is not None
    return stack.pool.pool_id


def client_id(stack: LocalStack) -> str:
    assert stack.pool is not None
    return stack.pool.client_id


def jwt_with(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'kid': 'dummy'})}.{part(claims)}.c2lnbmF0dXJl"


# ---------- settings and signing in ----------


def test_missing_config_says_so(page: Page, local_stack: LocalStack) -> None:
    page.route("**/config.json", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(local_stack.page_url)
    error = page.locator("#config-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("config.json")
    expect(page.get_by_label("Username")).to_be_hidden()
    shot(page, "config-missing")


def test_shopper_logs_in_and_sees_example_questions(page: Page, local_stack: LocalStack) -> None:
    page.goto(local_stack.page_url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
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
    page.goto(local_stack.page_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password", exact=True).press("Enter")
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
    username = f"newcomer-{uuid.uuid4().hex[:8]}"
    cognito = local_stack.client("cognito-idp")
    cognito.admin_create_user(
        UserPoolId=pool_id(local_stack),
        Username=username,
        TemporaryPassword="Temporary-Pass-1!",
        MessageAction="SUPPRESS",
    )
    page.goto(local_stack.page_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("Temporary-Pass-1!")
    page.get_by_label("Password", exact=True).press("Enter")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
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


# ---------- asking ----------


def test_dog_question_shows_summary_filters_and_matching_cards(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    answer = ask(page, DOG_QUESTION)
    expect(answer.locator(".summary")).not_to_be_empty()
    expect(answer.locator(".badge")).to_have_text(re.compile(r"^(AI|Keyword match)$"))
    chips = answer.get_by_role("list", name="Filters applied").locator("li").all_text_contents()
    assert "type: dog" in chips, chips
    assert "≤ $500" in chips, chips
    assert "youngest first" in chips, chips
    cards = card_data(answer)
    assert cards, "no dogs under $500 in the answer"
    assert all(card["type"] == "dog" for card in cards), cards
    assert all(card["price"] <= 500 for card in cards), cards
    ages = [card["age"] for card in cards]
    assert ages == sorted(ages), ages
    for card in cards:
        assert re.fullmatch(r"\$\d{1,3}(,\d{3})*(\.\d\d)?", card["priceText"]), card
        assert re.fullmatch(r"(\d+ years?|\d+ months?)(, \d+ months?)?", card["ageText"]), card
    expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")
    shot(page, "answer-dogs")


def test_example_chip_asks_that_question(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    page.get_by_role("button", name="cats", exact=True).click()
    answer = page.locator("#messages > li.msg-answer").first
    expect(answer).to_be_visible()
    expect(page.locator("#messages .msg-user").last).to_have_text("cats")
    types = {card["type"] for card in card_data(answer)}
    assert types == {"cat"}, types


def test_thinking_state_shows_while_the_api_works(page: Page, local_stack: LocalStack) -> None:
    held: list[Route] = []
    page.route("**/pets/query", lambda route: held.append(route))
    log_in(page, local_stack, "shopper")
    box = page.get_by_role("textbox", name="Ask about pets")
    box.fill("cats")
    box.press("Enter")
    thinking = page.locator(".msg-thinking")
    expect(thinking).to_be_visible()
    expect(thinking).to_contain_text("Looking for pets")
    shot(page, "thinking")
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the page sent no query"
    held[0].continue_()
    expect(page.locator(".msg-answer")).to_be_visible()
    expect(thinking).to_have_count(0)


def test_ai_answer_badge_and_formatting(page: Page, local_stack: LocalStack) -> None:
    sent: list[tuple[dict[str, str], Any]] = []
    answer_body = {
        "query": "young fancy birds",
        "filters": {
            "type_filter": "bird",
            "min_price": 100,
            "max_price": 2500,
            "max_age": 1,
            "sort_by": "price_desc",
        },
        "source": "bedrock",
        "summary": "1 bird from $100 to $2,500, up to 1 year old, priciest first.",
        "pets": [{"id": "p-1", "name": "Sky", "type": "bird", "breed": "Macaw", "age": 0.5, "price": 1234.5}],
        "next_token": None,
    }

    def answer(route: Route) -> None:
        sent.append((route.request.headers, route.request.post_data_json))
        fulfill_json(route, 200, answer_body)

    log_in(page, local_stack, "shopper")
    page.route("**/pets/query", answer)
    reply = ask(page, "young fancy birds")
    expect(reply.locator(".badge")).to_have_text("AI")
    chips = reply.get_by_role("list", name="Filters applied").locator("li").all_text_contents()
    assert chips == ["type: bird", "$100 \u2013 $2,500", "age ≤ 1 year", "priciest first"], chips
    [card] = card_data(reply)
    assert (card["ageText"], card["priceText"]) == ("6 months", "$1,234.50")
    expect(reply.get_by_role("button", name="Show more")).to_have_count(0)
    headers, body = sent[0]
    assert body == {"query": "young fancy birds", "limit": 12}
    token = next(value for key, value in storage(page).items() if key.endswith("idToken"))
    assert headers["authorization"] == token


def test_show_more_appends_the_next_page(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    answer = ask(page, "pets")
    first = card_data(answer)
    assert len(first) == 12, f"expected a first page of 12 of the 20+ pets, got {len(first)}"
    more = answer.get_by_role("button", name="Show more")
    expect(more).to_be_visible()
    more.click()
    expect(answer.locator(".pet-card")).not_to_have_count(12)
    after = card_data(answer)
    assert len(after) > 12
    ids = [card["id"] for card in after]
    assert len(set(ids)) == len(ids), "a pet was shown twice"
    assert after[:12] == first, "the first page changed"
    answer.locator(".pet-card").nth(12).scroll_into_view_if_needed()
    shot(page, "show-more")


def test_empty_answer_suggests_what_to_try(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    answer = ask(page, "dogs under $1")
    expect(answer.locator(".pet-card")).to_have_count(0)
    expect(answer.locator(".empty")).to_contain_text("Try")
    expect(
        answer.get_by_role("list", name="Other questions to try").get_by_role("button").first
    ).to_be_visible()
    shot(page, "answer-empty")


def test_api_error_message_and_network_failure_are_shown(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    answer_api_with(
        page, "**/pets/query", 400, {"error": "invalid_input", "message": "query: must not be empty."}
    )
    answer = ask(page, "cats")
    expect(answer).to_have_class(re.compile("msg-error"))
    expect(answer).to_contain_text("query: must not be empty.")
    expect(answer.get_by_role("button", name="Try again")).to_have_count(0)  # the same ask would fail again
    page.unroute("**/pets/query")
    page.route("**/pets/query", lambda route: route.abort("connectionrefused"))
    answer = ask(page, "dogs")
    expect(answer).to_contain_text("Can't reach the pet store")
    shot(page, "answer-errors")
    page.unroute("**/pets/query")
    answer.get_by_role("button", name="Try again").click()
    expect(answer).to_have_class(re.compile("msg-answer"))


# ---------- adding pets ----------


def test_shopper_has_no_add_form_and_add_sentences_are_questions(page: Page, local_stack: LocalStack) -> None:
    count = len(all_pets(local_stack))
    log_in(page, local_stack, "shopper")
    expect(page.get_by_role("button", name="Add a pet")).to_be_hidden()
    answer = ask(page, "add a dog named Max, a 3 year old Labrador, $600")
    expect(answer).to_have_class(re.compile("msg-answer"))
    expect(page.locator("#add-dialog")).not_to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert len(all_pets(local_stack)) == count


def test_staff_adds_a_pet_through_the_form(page: Page, local_stack: LocalStack) -> None:
    name = f"Biscuit {uuid.uuid4().hex[:6]}"
    log_in(page, local_stack, "staff")
    page.get_by_role("button", name="Add a pet").click()
    dialog = page.get_by_role("dialog", name="Add a pet")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Add pet").click()  # empty: the page refuses, per field
    for field in ("name", "type", "breed", "age", "price"):
        expect(page.locator(f"#pet-{field}-error")).not_to_be_empty()
        expect(page.locator(f"#pet-{field}")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Type").fill("rabbit")
    dialog.get_by_label("Breed").fill("Holland Lop")
    dialog.get_by_label("Age in years").fill("-1")
    dialog.get_by_label("Price in US dollars").fill("85.5")
    page.locator("#pet-breed").evaluate("el => { el.value = 'L'.repeat(101); }")  # past maxlength
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#pet-age-error")).to_contain_text("below 0")
    expect(page.locator("#pet-breed-error")).to_contain_text("100 characters")
    expect(page.locator("#pet-name-error")).to_be_empty()
    shot(page, "add-form-invalid")
    dialog.get_by_label("Breed").fill("Holland Lop")
    expect(page.locator("#pet-breed-error")).to_be_empty()  # editing a field clears its error
    dialog.get_by_label("Age in years").fill("0.5")
    dialog.get_by_role("button", name="Add pet").click()
    expect(dialog).to_be_hidden()
    added = page.locator("#messages > li.msg-added").last
    expect(added).to_contain_text(f"Added {name}")
    [card] = card_data(added)
    assert (card["name"], card["type"], card["breed"]) == (name, "rabbit", "Holland Lop")
    assert (card["ageText"], card["priceText"]) == ("6 months", "$85.50")
    shot(page, "add-form-added")
    stored = [pet for pet in all_pets(local_stack) if pet["name"] == name]
    assert len(stored) == 1, stored
    assert stored[0]["price"] == 85.5 and stored[0]["age"] == 0.5
    assert stored[0]["id"] == card["id"]


def test_api_validation_message_lands_next_to_its_field(page: Page, local_stack: LocalStack) -> None:
    count = len(all_pets(local_stack))
    log_in(page, local_stack, "staff")
    page.get_by_role("button", name="Add a pet").click()
    dialog = page.get_by_role("dialog", name="Add a pet")
    dialog.get_by_label("Name").fill("Pricey")
    dialog.get_by_label("Type").fill("dog")
    dialog.get_by_label("Breed").fill("Poodle")
    dialog.get_by_label("Age in years").fill("2")
    dialog.get_by_label("Price in US dollars").fill("99999999")  # over the API's limit, not the page's
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#pet-price-error")).to_contain_text("price")
    expect(dialog).to_be_visible()
    assert len(all_pets(local_stack)) == count


def test_forbidden_add_says_only_staff(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    answer_api_with(
        page, "**/pets", 403, {"error": "forbidden", "message": "Adding pets needs the staff group."}
    )
    page.get_by_role("button", name="Add a pet").click()
    dialog = page.get_by_role("dialog", name="Add a pet")
    for label, value in (("Name", "Nope"), ("Type", "cat"), ("Breed", "Siamese")):
        dialog.get_by_label(label).fill(value)
    dialog.get_by_label("Age in years").fill("1")
    dialog.get_by_label("Price in US dollars").fill("10")
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#add-error")).to_have_text("Only staff can add pets.")


def test_chat_sentence_fills_the_form_and_writes_only_on_confirm(page: Page, local_stack: LocalStack) -> None:
    name = f"Maxwell{uuid.uuid4().hex[:6]}"
    count = len(all_pets(local_stack))
    log_in(page, local_stack, "staff")
    box = page.get_by_role("textbox", name="Ask about pets")
    box.fill(f"add a dog named {name}, a 3 year old Labrador, $600")
    box.press("Enter")
    dialog = page.get_by_role("dialog", name="Add a pet")
    expect(dialog).to_be_visible()
    assert add_form_values(page) == {
        "name": name,
        "type": "dog",
        "breed": "Labrador",
        "age": "3",
        "price": "600",
    }
    expect(dialog.get_by_role("button", name="Add pet")).to_be_focused()
    shot(page, "add-from-sentence")
    page.wait_for_timeout(500)
    assert len(all_pets(local_stack)) == count, "a pet was written before confirming"
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert len(all_pets(local_stack)) == count, "cancelling wrote a pet"

    box.fill(f"add a dog named {name}, a 3 year old Labrador, $600")
    box.press("Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#messages > li.msg-added")).to_contain_text(f"Added {name}")
    stored = [pet for pet in all_pets(local_stack) if pet["name"] == name]
    assert len(all_pets(local_stack)) == count + 1
    assert [(p["type"], p["breed"], p["age"], p["price"]) for p in stored] == [("dog", "Labrador", 3, 600)]


ADD_SENTENCES = {
    "add a dog named Max, a 3 year old Labrador, $600": ["Max", "dog", "Labrador", "3", "600"],
    "Add a Siamese cat named Luna, 2 years old, $300": ["Luna", "cat", "Siamese", "2", "300"],
    "list a 6 month old Golden Retriever puppy called Sunny for 850 dollars": [
        "Sunny", "dog", "Golden Retriever", "0.5", "850",
    ],
    "new bird named Kiwi, breed: Budgerigar, age 1, price 45": ["Kiwi", "bird", "Budgerigar", "1", "45"],
    "put up a rabbit named Thumper, a 2-year-old Holland Lop, $120.50": [
        "Thumper", "rabbit", "Holland Lop", "2", "120.5",
    ],
    "create cat called Mr Whiskers, age 4, $0": ["Mr Whiskers", "cat", "", "4", "0"],
}  # fmt: skip
NOT_ADD_SENTENCES = [DOG_QUESTION, "list cats under $100", "new puppies?", "additional cats please"]


def test_add_sentences_are_recognized_and_parsed(page: Page, local_stack: LocalStack) -> None:
    page.goto(local_stack.page_url)
    results = page.evaluate(
        """async ([adds, others]) => {
            const { isAddIntent, parseAddPet } = await import("./intent.js");
            return {
                parsed: Object.fromEntries(adds.map(s => {
                    const p = parseAddPet(s);
                    return [s, [isAddIntent(s), p.name, p.type, p.breed, p.age, p.price]];
                })),
                others: others.filter(s => isAddIntent(s)),
            };
        }""",
        [list(ADD_SENTENCES), NOT_ADD_SENTENCES],
    )
    assert results["parsed"] == {sentence: [True, *fields] for sentence, fields in ADD_SENTENCES.items()}
    assert results["others"] == [], "questions taken for adds"


# ---------- safety ----------


def test_pet_name_with_html_is_shown_as_text(tab: Watched, local_stack: LocalStack) -> None:
    page = tab.page
    headers = {"Authorization": local_stack.id_token("staff")}
    pet = {"name": XSS_NAME, "type": "cat", "breed": "Tabby", "age": 1, "price": 0}
    created = requests.post(local_stack.api_url + "pets", json=pet, headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    pet_id = created.json()["id"]
    log_in(page, local_stack, "shopper")
    answer = ask(page, f"cat named {XSS_NAME}")
    card = answer.locator(f'.pet-card[data-pet-id="{pet_id}"]')
    if card.count() == 0:  # the name did not become a filter: the cheapest cat is it
        answer = ask(page, "cheapest cats")
        card = answer.locator(f'.pet-card[data-pet-id="{pet_id}"]')
    expect(card).to_have_count(1)
    assert card.locator(".pet-name").text_content() == XSS_NAME
    assert page.locator("#messages img").count() == 0
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.locator("#messages .msg-user").first.text_content() == f"cat named {XSS_NAME}"
    page.wait_for_timeout(300)
    assert tab.dialogs == []
    shot(page, "xss-as-text")


def test_page_source_never_parses_html_strings() -> None:
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write")
    offenders = [
        f"{path.name}:{number}"
        for path in FRONTEND_DIR.glob("*.js")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if sinks.search(line)
    ]
    assert offenders == []
    html = (FRONTEND_DIR / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script in index.html"
    assert not re.search(r"https?://", re.sub(r'xmlns="[^"]*"', "", html)), "a link off the machine"


# ---------- session ----------


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
    log_in(page, local_stack, "staff")
    ask(page, "cats")
    assert storage(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_focused()
    assert storage(page) == {}
    expect(page.locator("#messages > li")).to_have_count(0)
    expect(page.locator("#who-name")).to_be_hidden()
    expect(page.locator("#login-notice")).to_have_text("You are signed out.")
    shot(page, "logged-out")
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_dead_refresh_token_ends_the_session_with_a_note(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    page.evaluate(
        "() => { for (const key of Object.keys(sessionStorage))"
        " if (/Token$/.test(key)) sessionStorage.setItem(key, 'revoked'); }"
    )
    box = page.get_by_role("textbox", name="Ask about pets")
    box.fill("cats")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#login-notice")).to_contain_text("session has ended")
    assert storage(page) == {}


# ---------- everywhere ----------


def test_phone_width_has_no_sideways_scrolling(phone_tab: Watched, local_stack: LocalStack) -> None:
    page = phone_tab.page
    page.goto(local_stack.page_url)
    expect(page.get_by_label("Username")).to_be_visible()
    shot(page, "phone-login")
    log_in(page, local_stack, "staff")
    shot(page, "phone-welcome")
    answer = ask(page, DOG_QUESTION)
    expect(answer.locator(".pet-card").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-answer")
    page.get_by_role("button", name="Add a pet").click()
    expect(page.get_by_role("dialog", name="Add a pet")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-add-form")


CONTRAST_JS = """
selectors => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let n = el; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length < 4 || c[3] > 0.9) return c;
    }
    return [255, 255, 255];
  };
  const out = {};
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    if (!el) { out[sel] = null; continue; }
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
    out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  return out;
}
"""


def test_text_contrast_meets_wcag_aa(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    ask(page, DOG_QUESTION)
    selectors = [
        ".lead", ".example", ".hint", ".msg-user .bubble", ".summary", ".badge", ".chip", ".pet-name",
        ".pet-kind", ".pet-facts dt", ".pet-price", "#chat-send", "#logout", "#who-role", ".who",
    ]  # fmt: skip
    ratios = page.evaluate(CONTRAST_JS, selectors)
    assert all(ratio is not None for ratio in ratios.values()), ratios
    low = {sel: round(ratio, 2) for sel, ratio in ratios.items() if ratio < 4.5}
    assert low == {}, f"below WCAG AA 4.5:1: {low}"


def test_keyboard_only_sign_in_and_question(page: Page, local_stack: LocalStack) -> None:
    page.goto(local_stack.page_url)
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("shopper")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(local_stack.password)
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Ask about pets")
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_focused()
    outline = send.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline.startswith("solid") and float(outline.split()[1].removesuffix("px")) >= 2, outline
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("birds")
    page.keyboard.press("Enter")
    expect(page.locator("#messages > li.msg-answer")).to_have_count(1)
    shot(page, "keyboard")
