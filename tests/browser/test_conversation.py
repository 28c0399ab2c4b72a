"""The conversation: follow-ups sent with the last answer's filters, the refining line and "Start over",
and suggestions that ask their own question.

The API's answers here follow the contract's shape exactly (``query_answer``), so these tests pin the
page's behaviour whatever the server understands; the last test drives the real API when it can.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from localdev.stack import LocalStack
from tests.support.browser import (
    XSS_NAME,
    Watched,
    ask,
    bot_messages,
    card_data,
    chips,
    click_to_ask,
    log_in,
    question_box,
    shot,
)
from tests.support.scripted import (
    BELLA,
    FIFI,
    LUNA,
    REX,
    FakeQueries,
    pet,
    query_answer,
)

DOGS_FILTERS = {"type_filter": "dog", "max_price": 500}
DOGS = query_answer("dogs under $500", DOGS_FILTERS, [REX, BELLA], summary="2 dogs up to $500.")
YOUNG_FILTERS = {"type_filter": "dog", "max_price": 500, "max_age": 1}
YOUNG = query_answer(
    "just the young ones", YOUNG_FILTERS, [BELLA], summary="1 dog up to $500, up to 1 year old."
)
CATS = query_answer("cats", {"type_filter": "cat"}, [LUNA], summary="1 cat.")


def refining(page: Page) -> Any:
    return page.locator("#refine")


def test_a_follow_up_is_sent_with_the_last_answers_filters(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    api = FakeQueries(page, {"dogs under $500": DOGS, "just the young ones": YOUNG, "cats": CATS})
    expect(refining(page)).to_be_hidden()  # nothing to refine yet
    ask(page, "dogs under $500")
    assert api.last == {"query": "dogs under $500", "limit": 12}
    expect(refining(page)).to_be_visible()
    expect(refining(page)).to_contain_text("Refining: dogs, up to $500")
    expect(question_box(page)).to_have_accessible_description("Refining: dogs, up to $500")

    answer = ask(page, "just the young ones")
    assert api.last == {"query": "just the young ones", "limit": 12, "context": DOGS_FILTERS}
    assert [card["name"] for card in card_data(answer)] == ["Bella"]
    expect(refining(page)).to_contain_text("Refining: dogs, up to $500, up to 1 year old")
    shot(page, "conversation-refining")

    ask(page, "cats")  # typed after an answer: a follow-up too, whatever it says
    assert api.last == {"query": "cats", "limit": 12, "context": YOUNG_FILTERS}


def test_start_over_answers_as_typing_it_does(page: Page, local_stack: LocalStack) -> None:
    """Against the API: the button asks "start over" afresh and shows all our pets, as the words do."""
    log_in(page, local_stack, "shopper")
    ask(page, "dogs under $500")
    expect(refining(page)).to_be_visible()
    with page.expect_request("**/pets/query") as sent:
        pressed = click_to_ask(page, page.get_by_role("button", name="Start over"))
    assert sent.value.post_data_json == {"query": "start over", "limit": 12}  # no context
    expect(page.locator("#messages > li.msg-user").last).to_have_text("start over")
    expect(refining(page)).to_be_hidden()
    expect(question_box(page)).to_be_focused()
    expect(question_box(page)).to_have_accessible_description("")
    shot(page, "conversation-started-over")
    everything = card_data(pressed)
    assert len({card["type"] for card in everything}) > 1, everything  # all kinds of pet, not dogs

    ask(page, "cats")
    expect(refining(page)).to_contain_text("Refining: cats")
    with page.expect_request("**/pets/query") as sent:
        typed = ask(page, "start over")
    assert sent.value.post_data_json["context"] == {"type_filter": "cat"}  # typed: a follow-up
    assert card_data(typed) == everything
    assert chips(typed) == chips(pressed) == []
    expect(refining(page)).to_be_hidden()


def test_start_over_by_keyboard(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    everything = query_answer("start over", {}, [REX, LUNA], summary="2 pets.")
    api = FakeQueries(page, {"dogs under $500": DOGS, "start over": everything, "cats": CATS})
    ask(page, "dogs under $500")
    expect(question_box(page)).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the bar sits just above the question box
    expect(page.get_by_role("button", name="Start over")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#messages > li.msg-answer")).to_have_count(2)
    assert api.last == {"query": "start over", "limit": 12}
    expect(question_box(page)).to_be_focused()
    page.keyboard.type("cats")
    page.keyboard.press("Enter")
    expect(page.locator("#messages > li.msg-answer")).to_have_count(3)
    assert api.last == {"query": "cats", "limit": 12}


def test_no_refining_line_when_the_answer_has_no_filters(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    everything = query_answer("show me everything", {}, [REX, LUNA], summary="2 pets.")
    api = FakeQueries(page, {"show me everything": everything, "cats": CATS})
    ask(page, "show me everything")
    expect(refining(page)).to_be_hidden()
    ask(page, "cats")
    assert api.last == {"query": "cats", "limit": 12}


# (filters, the refining line, the chips)
FILTER_READINGS = [
    ({"type_filter": "dog", "max_price": 500}, "dogs, up to $500", ["type: dog", "≤ $500"]),
    (
        {"types": ["guinea pig", "rabbit"], "max_price": 100},
        "guinea pigs or rabbits, up to $100",
        ["type: guinea pig or rabbit", "≤ $100"],
    ),
    (
        {"type_filter": "cat", "exclude_breeds": ["Siamese"]},
        "cats, not Siamese",
        ["type: cat", "not: Siamese"],
    ),
    (
        {"exclude_types": ["bird", "fish"], "min_age": 2, "sort_by": "age_desc"},
        "not birds or fish, at least 2 years old, oldest first",
        ["not: bird or fish", "age ≥ 2 years", "oldest first"],
    ),
    (
        {"breeds": ["Beagle", "Poodle"], "name": "Max", "min_price": 100, "max_price": 900.5},
        "Beagle or Poodle, named Max, $100 to $900.50",
        ["breed: Beagle or Poodle", "name: Max", "$100 \u2013 $900.50"],
    ),
    (
        {"type_filter": "mouse", "min_age": 0.5, "max_age": 2, "sort_by": "price_asc"},
        "mice, 6 months to 2 years old, cheapest first",
        ["type: mouse", "age ≥ 6 months", "age ≤ 2 years", "cheapest first"],
    ),
]


def test_refining_line_and_chips_read_every_kind_of_filter(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    FakeQueries(
        page, {f"q{n}": query_answer(f"q{n}", f, [REX]) for n, (f, _, _) in enumerate(FILTER_READINGS)}
    )
    for n, (_, line, expected_chips) in enumerate(FILTER_READINGS):
        answer = ask(page, f"q{n}")
        assert chips(answer) == expected_chips
        expect(page.locator("#refine-line")).to_have_text(f"Refining: {line}")


POODLES_50 = {"type_filter": "dog", "breed": "Poodle", "max_price": 50}
POODLES_400 = {"type_filter": "dog", "breed": "Poodle", "max_price": 400}
NO_POODLES = query_answer(
    "poodles under $50",
    POODLES_50,
    [],
    summary="No Poodle dogs up to $50; the cheapest Poodle is $380.",
    suggestions=[
        {"query": "poodles under $400", "filters": POODLES_400},
        {"query": "dogs under $50", "filters": {"type_filter": "dog", "max_price": 50}},
    ],
)
SOME_POODLES = query_answer(
    "poodles under $400", POODLES_400, [BELLA, FIFI], summary="2 Poodle dogs up to $400."
)
YOUNGEST_POODLES = query_answer(
    "youngest first",
    {**POODLES_400, "sort_by": "age_asc"},
    [BELLA, FIFI],
    summary="2 Poodle dogs, youngest first.",
)


def test_suggestions_ask_their_question_and_a_follow_up_refines_its_answer(
    page: Page, local_stack: LocalStack
) -> None:
    log_in(page, local_stack, "shopper")
    api = FakeQueries(
        page,
        {
            "dogs under $500": DOGS,
            "poodles under $50": NO_POODLES,
            "poodles under $400": SOME_POODLES,
            "youngest first": YOUNGEST_POODLES,
        },
    )
    ask(page, "dogs under $500")
    empty = ask(page, "poodles under $50")
    assert api.last["context"] == DOGS_FILTERS
    expect(empty.locator(".pet-card")).to_have_count(0)
    suggestions = empty.get_by_role("list", name="Suggestions").get_by_role("button")
    expect(suggestions).to_have_text(["poodles under $400", "dogs under $50"])
    expect(empty.get_by_role("list", name="Other questions to try")).to_have_count(0)
    expect(refining(page)).to_contain_text("Refining: dogs, Poodle, up to $50")
    shot(page, "answer-suggestions")

    answer = click_to_ask(page, suggestions.first)
    assert api.last == {"query": "poodles under $400", "limit": 12}  # a whole question: no context
    expect(page.locator("#messages > li.msg-user").last).to_have_text("poodles under $400")
    expect(question_box(page)).to_be_focused()
    assert [card["name"] for card in card_data(answer)] == ["Bella", "Fifi"]
    expect(refining(page)).to_contain_text("Refining: dogs, Poodle, up to $400")

    page.keyboard.type("youngest first")  # focus is in the question box: just type
    page.keyboard.press("Enter")
    expect(bot_messages(page)).to_have_count(5)  # the welcome and four answers
    expect(bot_messages(page).last).to_have_class(re.compile("msg-answer"))
    assert api.last == {"query": "youngest first", "limit": 12, "context": POODLES_400}
    expect(refining(page)).to_contain_text("Refining: dogs, Poodle, up to $400, youngest first")


def test_example_questions_start_a_new_search(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    api = FakeQueries(page, {"dogs under $500": DOGS, "cats": CATS})
    ask(page, "dogs under $500")
    examples = page.get_by_role("list", name="Example questions")
    click_to_ask(page, examples.get_by_role("button", name="cats", exact=True))
    assert api.last == {"query": "cats", "limit": 12}
    expect(refining(page)).to_contain_text("Refining: cats")


def test_show_more_asks_again_with_the_context_it_was_first_asked_with(
    page: Page, local_stack: LocalStack
) -> None:
    log_in(page, local_stack, "shopper")
    first_page = [pet(f"d-{n}", f"Dog {n}", "dog", "Beagle", 1, 100 + n) for n in range(12)]
    more = [pet("d-99", "Last Dog", "dog", "Beagle", 1, 499)]
    api = FakeQueries(
        page,
        {
            "dogs": query_answer("dogs", {"type_filter": "dog"}, [REX]),
            "under $500": query_answer("under $500", DOGS_FILTERS, first_page, next_token="page-2"),
            ("under $500", "page-2"): query_answer("under $500", DOGS_FILTERS, more),
            "cheapest first": query_answer("cheapest first", {**DOGS_FILTERS, "sort_by": "price_asc"}, [REX]),
        },
    )
    ask(page, "dogs")
    paged = ask(page, "under $500")
    ask(page, "cheapest first")
    paged.get_by_role("button", name="Show more").click()
    expect(paged.locator(".pet-card")).to_have_count(13)
    assert api.last == {
        "query": "under $500",
        "limit": 12,
        "next_token": "page-2",
        "context": {"type_filter": "dog"},
    }
    expect(paged.locator(".end-note")).to_have_text("That's every pet matching this question.")
    expect(refining(page)).to_contain_text("Refining: dogs, up to $500, cheapest first")  # unchanged


def test_a_failed_follow_up_is_tried_again_with_its_context(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    api = FakeQueries(page, {"dogs under $500": DOGS, "just the young ones": YOUNG})
    ask(page, "dogs under $500")
    refuse = lambda route: route.abort("connectionrefused")  # noqa: E731
    page.route("**/pets/query", refuse)
    failed = ask(page, "just the young ones")
    expect(failed).to_contain_text("Can't reach the pet store")
    expect(refining(page)).to_contain_text("Refining: dogs, up to $500")  # still the last answer's
    page.unroute("**/pets/query", refuse)  # the scripted API answers again
    failed.get_by_role("button", name="Try again").click()
    expect(failed).to_have_class(re.compile("msg-answer"))
    assert api.last == {"query": "just the young ones", "limit": 12, "context": DOGS_FILTERS}


def test_untrusted_words_in_the_conversation_stay_text(tab: Watched, local_stack: LocalStack) -> None:
    page = tab.page
    log_in(page, local_stack, "shopper")
    hostile = query_answer(
        "cats named trouble",
        {"type_filter": "cat", "name": XSS_NAME, "exclude_breeds": [XSS_NAME]},
        [],
        summary=XSS_NAME,
        unmatched=[XSS_NAME, "<b>bold</b>"],
        suggestions=[{"query": XSS_NAME, "filters": {"type_filter": "cat"}}],
    )
    api = FakeQueries(page, {"cats named trouble": hostile, XSS_NAME: CATS})
    answer = ask(page, "cats named trouble")
    expect(answer.locator(".summary")).to_have_text(XSS_NAME)
    expect(answer.locator(".unmatched")).to_have_text(f"Not used: {XSS_NAME}, <b>bold</b>")
    expect(answer.get_by_role("list", name="Suggestions").get_by_role("button")).to_have_text([XSS_NAME])
    assert f"name: {XSS_NAME}" in chips(answer)
    assert f"not: {XSS_NAME}" in chips(answer)
    expect(page.locator("#refine-line")).to_have_text(f"Refining: cats, not {XSS_NAME}, named {XSS_NAME}")
    click_to_ask(page, answer.get_by_role("list", name="Suggestions").get_by_role("button"))
    assert api.last == {"query": XSS_NAME, "limit": 12}
    expect(page.locator("#messages > li.msg-user").last).to_have_text(XSS_NAME)
    assert page.evaluate("() => document.querySelectorAll('img, b').length") == 0
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert tab.dialogs == []


def _api_takes_context(stack: LocalStack) -> bool:
    answer = requests.post(
        stack.api_url + "pets/query",
        json={"query": "cats", "context": {"type_filter": "dog"}},
        headers={"Authorization": stack.id_token("shopper")},
        timeout=10,
    )
    return answer.status_code == 200


def test_follow_ups_against_the_api(page: Page, local_stack: LocalStack) -> None:
    """Three turns with the real API: a question, two follow-ups, then a new search."""
    if not _api_takes_context(local_stack):
        pytest.skip("this API does not take `context` yet")
    log_in(page, local_stack, "shopper")
    with page.expect_response("**/pets/query") as first:
        ask(page, "dogs under $500")
    filters = first.value.json()["filters"]
    expect(refining(page)).to_contain_text("Refining: dogs, up to $500")

    with page.expect_request("**/pets/query") as sent, page.expect_response("**/pets/query") as second:
        answer = ask(page, "cheapest first")
    assert sent.value.post_data_json["context"] == filters
    cards = card_data(answer)
    assert cards and all(card["type"] == "dog" and card["price"] <= 500 for card in cards), cards
    assert [card["price"] for card in cards] == sorted(card["price"] for card in cards)

    with page.expect_request("**/pets/query") as sent:
        answer = ask(page, "how about cats?")
    assert sent.value.post_data_json["context"] == second.value.json()["filters"]
    cards = card_data(answer)
    assert cards and all(card["type"] == "cat" and card["price"] <= 500 for card in cards), cards

    with page.expect_request("**/pets/query") as sent:
        click_to_ask(page, page.get_by_role("button", name="Start over"))
    assert "context" not in sent.value.post_data_json
    with page.expect_request("**/pets/query") as sent:
        ask(page, "birds")
    assert "context" not in sent.value.post_data_json
