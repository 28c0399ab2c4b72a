"""Adding a pet (staff): the dialog, its checks on the page and at the API, and add sentences in the chat."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Page, Request, Route, expect

from localdev.stack import LocalStack
from tests.support.browser import (
    DOG_QUESTION,
    PET_FIELDS,
    add_form_values,
    all_pets,
    ask,
    card_data,
    fill_add_form,
    log_in,
    open_add_form,
    shot,
)
from tests.support.scripted import (
    answer_api_with,
    fulfill_json,
)


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
    dialog = open_add_form(page)
    dialog.get_by_role("button", name="Add pet").click()  # empty: the page refuses, per field
    for field in PET_FIELDS:
        expect(page.locator(f"#pet-{field}-error")).to_have_text(f"Enter the pet's {field}.")
        expect(page.locator(f"#pet-{field}")).to_have_attribute("aria-invalid", "true")
    fill_add_form(dialog, name=name, type="rabbit", breed="Holland Lop", age="-1", price="85.5")
    page.locator("#pet-breed").evaluate("el => { el.value = 'L'.repeat(101); }")  # past maxlength
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#pet-age-error")).to_have_text("The age must be 0 or more.")
    expect(page.locator("#pet-breed-error")).to_have_text("The breed can have at most 100 characters.")
    expect(page.locator("#pet-name-error")).to_be_empty()
    shot(page, "add-form-invalid")
    fill_add_form(dialog, breed="Holland Lop")
    expect(page.locator("#pet-breed-error")).to_be_empty()  # editing a field clears its error
    fill_add_form(dialog, age="0.5")
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


# (field, what is typed, the page's sentence): each one of the server's limits.
OVER_THE_LIMITS = [
    ("type", "x" * 31, "The type can have at most 30 characters."),
    ("name", "N" * 101, "The name can have at most 100 characters."),
    ("age", "200.5", "The age must be at most 200 years."),
    ("price", "1000000.01", "The price must be at most $1,000,000."),
    ("price", "12.345", "The price must have at most two decimals."),
    ("age", "two", "The age must be a number."),
]


def test_the_page_checks_the_servers_limits_before_sending(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    dialog = open_add_form(page)
    fill_add_form(dialog, type="x" * 40)
    expect(dialog.get_by_label("Type")).to_have_value("x" * 30)  # typing stops at the limit
    for field, typed, sentence in OVER_THE_LIMITS:
        fill_add_form(dialog, name="Rex", type="dog", breed="Boxer", age="2", price="300")
        page.locator(f"#pet-{field}").evaluate("(el, value) => { el.value = value; }", typed)
        dialog.get_by_role("button", name="Add pet").click()
        expect(page.locator(f"#pet-{field}-error")).to_have_text(sentence)
        expect(page.locator(f"#pet-{field}")).to_be_focused()
    assert not [url for url in sent if url.endswith("/pets")], "the page sent a pet it should have refused"
    fill_add_form(dialog, name="N" * 100, price="1000000", age="200")  # the limits themselves are fine
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#messages > li.msg-added")).to_contain_text("Added N")


def test_an_api_refusal_reads_as_a_sentence_next_to_its_field(page: Page, local_stack: LocalStack) -> None:
    count = len(all_pets(local_stack))
    log_in(page, local_stack, "staff")
    dialog = open_add_form(page)
    fill_add_form(dialog, name="Pricey", type="dog2", breed="Poodle", age="2", price="10")
    dialog.get_by_role("button", name="Add pet").click()  # letters only: the API's rule, not the page's
    expect(page.locator("#pet-type-error")).to_have_text("The type must be a word such as dog, cat or bird.")
    expect(page.locator("#pet-type")).to_be_focused()
    expect(dialog).to_be_visible()
    assert len(all_pets(local_stack)) == count


# The API's 400 messages name each field first; the page says each as a sentence by its field.
API_MESSAGES = {
    "price: must have at most two decimals.": {"price": "The price must have at most two decimals."},
    "name is required.": {"name": "The name is required."},
    "age: must be at most 200.": {"age": "The age must be at most 200."},
    "type: string should have at most 30 characters; price: must be 0 or more.": {
        "type": "The type should have at most 30 characters.",
        "price": "The price must be 0 or more.",
    },
}


@pytest.mark.parametrize("message", list(API_MESSAGES))
def test_the_apis_messages_become_sentences(page: Page, local_stack: LocalStack, message: str) -> None:
    log_in(page, local_stack, "staff")
    answer_api_with(page, "**/pets", 400, {"error": "invalid_input", "message": message})
    dialog = open_add_form(page)
    fill_add_form(dialog, name="Rex", type="dog", breed="Boxer", age="2", price="300")
    dialog.get_by_role("button", name="Add pet").click()
    expected = API_MESSAGES[message]
    for field in PET_FIELDS:
        expect(page.locator(f"#pet-{field}-error")).to_have_text(expected.get(field, ""))
    expect(page.locator(f"#pet-{next(iter(expected))}")).to_be_focused()
    expect(page.locator("#add-error")).to_be_empty()
    if len(expected) > 1:
        shot(page, "add-form-api-sentences")


def test_forbidden_add_says_only_staff(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    answer_api_with(
        page, "**/pets", 403, {"error": "forbidden", "message": "Adding pets needs the staff group."}
    )
    dialog = open_add_form(page)
    fill_add_form(dialog, name="Nope", type="cat", breed="Siamese", age="1", price="10")
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


# ---------- adds safe to retry: the Idempotency-Key ----------

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def keys_sent(page: Page) -> list[str]:
    """The Idempotency-Key of every add the page sends from now on, in order."""
    keys: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/pets"):
            keys.append(request.headers.get("idempotency-key", ""))

    page.on("request", record)
    return keys


def add_through_the_form(page: Page, **values: str) -> None:
    dialog = open_add_form(page)
    fill_add_form(dialog, **values)
    dialog.get_by_role("button", name="Add pet").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#messages > li.msg-added").last).to_contain_text(f"Added {values['name']}")


def test_each_add_sends_a_fresh_key(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    keys = keys_sent(page)
    for name in (f"Pip {uuid.uuid4().hex[:6]}", f"Pop {uuid.uuid4().hex[:6]}"):
        add_through_the_form(page, name=name, type="hamster", breed="Syrian", age="1", price="20")
    assert len(keys) == 2 and all(UUID.match(key) for key in keys), keys
    assert keys[0] != keys[1]


FAILURES: dict[str, Callable[[Route], None]] = {
    "no-answer": lambda route: route.abort("connectionrefused"),
    "too-many-requests": lambda route: route.fulfill(status=429, body=""),
    "server-fault": lambda route: fulfill_json(
        route, 503, {"error": "unavailable", "message": "The store is busy, try again."}
    ),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_retried_add_sends_the_same_key(page: Page, local_stack: LocalStack, failure: str) -> None:
    name = f"Retry {uuid.uuid4().hex[:6]}"
    log_in(page, local_stack, "staff")
    keys = keys_sent(page)
    tries: list[Route] = []

    def fail_the_first(route: Route) -> None:
        tries.append(route)
        if len(tries) == 1:
            FAILURES[failure](route)
        else:
            route.fallback()  # the API's own answer

    page.route("**/pets", fail_the_first)
    dialog = open_add_form(page)
    fill_add_form(dialog, name=name, type="cat", breed="Siamese", age="2", price="300")
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#add-error")).not_to_be_empty()
    if failure == "no-answer":
        shot(page, "add-form-no-answer")
    dialog.get_by_role("button", name="Add pet").click()  # the same pet again
    expect(dialog).to_be_hidden()
    assert len(keys) == 2 and keys[0] == keys[1] and UUID.match(keys[0]), keys
    assert len([pet for pet in all_pets(local_stack) if pet["name"] == name]) == 1


def test_a_changed_pet_or_a_new_form_gets_a_new_key(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    keys = keys_sent(page)
    page.route("**/pets", FAILURES["no-answer"])
    dialog = open_add_form(page)
    fill_add_form(dialog, name="Twice", type="cat", breed="Siamese", age="2", price="300")
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#add-error")).to_contain_text("Can't reach the pet store")
    fill_add_form(dialog, price="250")  # a changed pet
    dialog.get_by_role("button", name="Add pet").click()
    dialog.get_by_role("button", name="Add pet").click()  # the same changed pet: its key again
    expect(dialog.get_by_role("button", name="Add pet")).to_be_enabled()  # that try has ended
    dialog.get_by_role("button", name="Cancel").click()
    dialog = open_add_form(page)  # a new form
    fill_add_form(dialog, name="Twice", type="cat", breed="Siamese", age="2", price="250")
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#add-error")).to_contain_text("Can't reach the pet store")
    assert len(keys) == 4, keys
    assert keys[0] != keys[1] == keys[2] != keys[3] and keys[0] != keys[3], keys


def _api_keeps_keys(stack: LocalStack) -> bool:
    """Whether the API answers an add sent twice with one key with the one pet (the idempotency rule)."""
    headers = {"Authorization": stack.id_token("staff"), "Idempotency-Key": str(uuid.uuid4())}
    body = {"name": f"Probe {uuid.uuid4().hex[:6]}", "type": "fish", "breed": "Betta", "age": 1, "price": 5}
    answers = [requests.post(stack.api_url + "pets", json=body, headers=headers, timeout=10) for _ in "12"]
    return answers[0].status_code == 201 and answers[0].json() == answers[1].json()


def test_an_add_whose_answer_was_lost_is_stored_once(page: Page, local_stack: LocalStack) -> None:
    """The first try reaches the API, but its answer never reaches the page; the retry gets the same pet."""
    if not _api_keeps_keys(local_stack):
        pytest.skip("this API does not keep Idempotency-Keys yet")
    name = f"Lost {uuid.uuid4().hex[:6]}"
    log_in(page, local_stack, "staff")
    tries: list[Route] = []

    def lose_the_first_answer(route: Route) -> None:
        tries.append(route)
        if len(tries) == 1:
            route.fetch()  # the API stores the pet ...
            route.abort("connectionreset")  # ... and the page never hears of it
        else:
            route.fallback()

    page.route("**/pets", lose_the_first_answer)
    dialog = open_add_form(page)
    fill_add_form(dialog, name=name, type="cat", breed="Siamese", age="2", price="300")
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#add-error")).to_contain_text("Can't reach the pet store")
    assert len([pet for pet in all_pets(local_stack) if pet["name"] == name]) == 1
    dialog.get_by_role("button", name="Add pet").click()
    expect(dialog).to_be_hidden()
    [stored] = [pet for pet in all_pets(local_stack) if pet["name"] == name]
    [card] = card_data(page.locator("#messages > li.msg-added").last)
    assert card["id"] == stored["id"]
