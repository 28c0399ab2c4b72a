"""What an answer says about how it read the question: what it left out to find some pets, the
spellings it read as something else, and the words it could not use; each in plain words, as text.

Until the API sends `relaxed` and `corrected`, these answers come through ``page.route`` in the
contract's exact shape.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from localdev.stack import LocalStack
from tests.support.browser import (
    XSS_NAME,
    Watched,
    ask,
    card_data,
    log_in,
    shot,
)
from tests.support.scripted import (
    CHICO,
    LUNA,
    FakeQueries,
    query_answer,
)

CATS = query_answer("cats", {"type_filter": "cat"}, [LUNA], summary="1 cat.")
CATS_70_TO_80 = {"type_filter": "cat", "min_price": 70, "max_price": 80}
NO_CHEAP_CATS = query_answer(
    "cats from $70 to $80",
    CATS_70_TO_80,
    [],
    summary="No cats from $70 to $80 right now; the cheapest cat is $120.",
    suggestions=[{"query": "cats under $400", "filters": {"type_filter": "cat", "max_price": 400}}],
)
RELAXED = query_answer(
    "how about tabbies?",
    {"type_filter": "cat", "breed": "Tabby"},
    [LUNA],
    summary="No Tabby cats from $70 to $80; here are our Tabby cats.",
    relaxed=["max_price", "min_price"],
)


def test_a_relaxed_answer_says_what_it_left_out(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    api = FakeQueries(
        page, {"cats from $70 to $80": NO_CHEAP_CATS, "how about tabbies?": RELAXED, "cats": CATS}
    )
    ask(page, "cats from $70 to $80")
    answer = ask(page, "how about tabbies?")
    assert api.last["context"] == CATS_70_TO_80
    expect(answer.locator(".summary")).to_have_text("No Tabby cats from $70 to $80; here are our Tabby cats.")
    expect(answer.locator(".relaxed")).to_have_text("To find some, I left out: the price limit.")
    expect(answer.locator(".corrected")).to_have_count(0)
    assert [card["name"] for card in card_data(answer)] == ["Luna"]
    # What the answer used is what the next question refines: the price limit is gone.
    expect(page.locator("#refine-line")).to_have_text("Refining: cats, Tabby")
    shot(page, "answer-relaxed")
    ask(page, "cats")
    assert api.last["context"] == {"type_filter": "cat", "breed": "Tabby"}


def test_a_corrected_spelling_says_what_it_was_read_as(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    FakeQueries(
        page,
        {
            "chiwawa under $500": query_answer(
                "chiwawa under $500",
                {"type_filter": "dog", "breed": "Chihuahua", "max_price": 500},
                [CHICO],
                summary="1 Chihuahua dog up to $500.",
                corrected={"chiwawa": "Chihuahua"},
            ),
            "kittns or doggs": query_answer(
                "kittns or doggs",
                {"types": ["cat", "dog"], "max_age": 1},
                [LUNA],
                corrected={"kittns": "kittens", "doggs": "dogs"},
                unmatched=["fluffy"],
            ),
        },
    )
    answer = ask(page, "chiwawa under $500")
    expect(answer.locator(".corrected")).to_have_text("Read “chiwawa” as Chihuahua.")
    expect(answer.locator(".relaxed")).to_have_count(0)
    shot(page, "answer-corrected")
    answer = ask(page, "kittns or doggs")
    expect(answer.locator(".corrected")).to_have_text("Read “kittns” as kittens and “doggs” as dogs.")
    expect(answer.locator(".unmatched")).to_have_text("Not used: fluffy")


def test_fields_the_page_does_not_know_still_read(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    relaxed = ["min_weight", "colour", "breed", "exclude_types", "max_age", "min_age", "sort_by"]
    FakeQueries(page, {"cats": query_answer("cats", {"type_filter": "cat"}, [LUNA], relaxed=relaxed)})
    answer = ask(page, "cats")
    expect(answer.locator(".relaxed")).to_have_text(
        "To find some, I left out: the weight limit, the colour, the breed, the kinds you ruled out, "
        "the age limit and the order."
    )


def test_words_the_answer_could_not_use_are_shown(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    quiet = query_answer(
        "quiet house-trained cats", {"type_filter": "cat"}, [LUNA], unmatched=["quiet", "house-trained"]
    )
    FakeQueries(page, {"quiet house-trained cats": quiet, "cats": CATS})
    answer = ask(page, "quiet house-trained cats")
    expect(answer.locator(".unmatched")).to_have_text("Not used: quiet, house-trained")
    shot(page, "answer-unmatched")
    answer = ask(page, "cats")
    expect(answer.locator(".unmatched, .relaxed, .corrected")).to_have_count(0)


def test_odd_or_hostile_notes_stay_text(tab: Watched, local_stack: LocalStack) -> None:
    page = tab.page
    log_in(page, local_stack, "shopper")
    hostile = query_answer(
        "cats",
        {"type_filter": "cat"},
        [LUNA],
        relaxed=[XSS_NAME, 7, None, ""],  # type: ignore[list-item]
        corrected={XSS_NAME: "<b>bold</b>", "ok": 3, "": "nothing"},  # type: ignore[dict-item]
    )
    FakeQueries(page, {"cats": hostile})
    answer = ask(page, "cats")
    expect(answer.locator(".relaxed")).to_have_text(f"To find some, I left out: the {XSS_NAME}.")
    expect(answer.locator(".corrected")).to_have_text(f"Read “{XSS_NAME}” as <b>bold</b>.")
    assert page.evaluate("() => document.querySelectorAll('img, b').length") == 0
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert tab.dialogs == []
