"""Asking: answers as pet cards, the filters understood, "Show more", empty answers, and errors."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from localdev.stack import LocalStack
from tests.support.browser import (
    DOG_QUESTION,
    Watched,
    ask,
    card_data,
    chips,
    log_in,
    question_box,
    shot,
    storage,
    top_once_scrolled,
)
from tests.support.scripted import (
    answer_api_with,
    fulfill_json,
)

TOO_MANY = "Too many requests, try again in a moment."


def test_dog_question_shows_summary_filters_and_matching_cards(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    answer = ask(page, DOG_QUESTION)
    expect(answer.locator(".summary")).not_to_be_empty()
    expect(answer.locator(".badge")).to_have_text(re.compile(r"^(AI|Keyword match)$"))
    applied = chips(answer)
    assert "type: dog" in applied, applied
    assert "≤ $500" in applied, applied
    assert "youngest first" in applied, applied
    cards = card_data(answer)
    assert cards, "no dogs under $500 in the answer"
    assert all(card["type"] == "dog" for card in cards), cards
    assert all(card["price"] <= 500 for card in cards), cards
    ages = [card["age"] for card in cards]
    assert ages == sorted(ages), ages
    for card in cards:
        assert re.fullmatch(r"\$\d{1,3}(,\d{3})*(\.\d\d)?", card["priceText"]), card
        assert re.fullmatch(r"(\d+ years?|\d+ months?)(, \d+ months?)?", card["ageText"]), card
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log.locator("#messages > li.msg-answer")).to_have_count(1)  # the answers are in the log
    shot(page, "answer-dogs")


def test_a_long_answer_keeps_its_question_in_view(phone_tab: Watched, local_stack: LocalStack) -> None:
    page = phone_tab.page
    log_in(page, local_stack, "shopper")
    ask(page, "dogs")
    answer = ask(page, "pets")  # twelve cards, one above the other on a phone
    question = page.locator("#messages > li.msg-user").last
    expect(question).to_have_text("pets")
    where = top_once_scrolled(page, question)
    # The question sits just under the top bar, however far its answer runs below.
    assert where["bar"] <= where["top"] < where["bar"] + 80, where
    expect(answer.locator(".pet-card").first).to_be_in_viewport()
    expect(answer.locator(".pet-card").last).not_to_be_in_viewport()
    shot(page, "phone-long-answer")


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
    box = question_box(page)
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
        "unmatched": [],
        "suggestions": [],
    }

    def answer(route: Route) -> None:
        sent.append((route.request.headers, route.request.post_data_json))
        fulfill_json(route, 200, answer_body)

    log_in(page, local_stack, "shopper")
    page.route("**/pets/query", answer)
    reply = ask(page, "young fancy birds")
    expect(reply.locator(".badge")).to_have_text("AI")
    assert chips(reply) == ["type: bird", "$100 \u2013 $2,500", "age ≤ 1 year", "priciest first"]
    [card] = card_data(reply)
    assert (card["ageText"], card["priceText"]) == ("6 months", "$1,234.50")
    expect(reply.get_by_role("button", name="Show more")).to_have_count(0)
    expect(reply.locator(".unmatched")).to_have_count(0)  # nothing to say when every word was used
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


def test_empty_answer_offers_questions_to_try(page: Page, local_stack: LocalStack) -> None:
    """The API's suggestions when it has some, the page's own examples when it has none."""
    log_in(page, local_stack, "shopper")
    with page.expect_response("**/pets/query") as response:
        answer = ask(page, "dogs under $1")
    suggestions = [item["query"] for item in response.value.json().get("suggestions") or []]
    expect(answer.locator(".pet-card")).to_have_count(0)
    expect(answer.locator(".empty")).to_contain_text("No pets matched")
    offered = answer.get_by_role("list", name="Suggestions").get_by_role("button")
    examples = answer.get_by_role("list", name="Other questions to try").get_by_role("button")
    if suggestions:
        expect(offered).to_have_text(suggestions)
        expect(examples).to_have_count(0)
    else:
        expect(offered).to_have_count(0)
        expect(examples.first).to_be_visible()
        expect(answer.locator(".empty")).to_contain_text("Try")
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


# API Gateway's throttling and the WAF answer 429 with the API's error shape; a 429 without a
# readable body (an HTML page, nothing at all) must read the same.
TOO_MANY_BODIES = {
    "api-shape": ("application/json", '{"error": "too_many_requests", "message": "Slow down, please."}'),
    "gateway-default": ("application/json", '{"message": "Too Many Requests"}'),
    "html": ("text/html", "<html><body><h1>429</h1></body></html>"),
    "empty": ("text/plain", ""),
}


@pytest.mark.parametrize("kind", list(TOO_MANY_BODIES))
def test_too_many_requests_says_so_and_offers_to_try_again(
    page: Page, local_stack: LocalStack, kind: str
) -> None:
    content_type, body = TOO_MANY_BODIES[kind]
    log_in(page, local_stack, "shopper")
    page.route(
        "**/pets/query",
        lambda route: route.fulfill(
            status=429,
            content_type=content_type,
            body=body,
            headers={"Access-Control-Allow-Origin": "*"},
        ),
    )
    answer = ask(page, "cats")
    expect(answer).to_have_class(re.compile("msg-error"))
    expect(answer.locator(".error-text")).to_have_text(TOO_MANY)
    if kind == "api-shape":
        shot(page, "answer-too-many-requests")
    page.unroute("**/pets/query")
    answer.get_by_role("button", name="Try again").click()
    expect(answer).to_have_class(re.compile("msg-answer"))
    assert card_data(answer), "no cats once the API answered again"


def test_too_many_requests_on_show_more_says_so(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    answer = ask(page, "pets")
    page.route("**/pets/query", lambda route: route.fulfill(status=429, body=""))
    answer.get_by_role("button", name="Show more").click()
    expect(answer.locator(".more-error")).to_have_text(TOO_MANY)
    expect(answer.locator(".pet-card")).to_have_count(12)
    page.unroute("**/pets/query")
    answer.get_by_role("button", name="Show more").click()
    expect(answer.locator(".pet-card")).not_to_have_count(12)
