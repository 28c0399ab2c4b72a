"""The conversation kept across a reload while the person is signed in: the messages and the context
come back, the next question refines that context, "Start over" and logging out forget it, it stays
bounded, and a stored value the page did not write is ignored, never run or drawn as HTML."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from localdev.stack import LocalStack
from tests.support.browser import (
    CONVERSATION_KEY,
    XSS_NAME,
    Watched,
    ask,
    click_to_ask,
    log_in,
    reload_signed_in,
    shown_messages,
    storage,
)
from tests.support.scripted import (
    BELLA,
    LUNA,
    FakeQueries,
    pet,
    query_answer,
)


def ask_sending(page: Page, question: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Asks ``question``; returns the body the page sent and the answer the API gave."""
    with page.expect_request("**/pets/query") as sent, page.expect_response("**/pets/query") as answered:
        ask(page, question)
    body: dict[str, Any] = sent.value.post_data_json
    answer: dict[str, Any] = answered.value.json()
    return body, answer


def test_a_six_turn_conversation_survives_a_reload(page: Page, local_stack: LocalStack) -> None:
    """Against the API: three turns, a reload, three more that refine what was stored."""
    log_in(page, local_stack, "shopper")
    filters: dict[str, Any] | None = None
    for question in ("dogs", "under $500", "cheapest first"):
        body, answer = ask_sending(page, question)
        assert body.get("context") == filters, question
        filters = answer["filters"]
    assert filters == {"type_filter": "dog", "max_price": 500, "sort_by": "price_asc"}
    before = shown_messages(page)
    refining = page.locator("#refine-line").text_content()
    assert CONVERSATION_KEY in storage(page)

    reload_signed_in(page, "shopper")
    assert shown_messages(page) == before
    expect(page.locator("#refine-line")).to_have_text(refining or "")
    expect(page.locator("#messages > li.msg-user").last).to_be_in_viewport()

    for question in ("how about cats?", "youngest first", "under $400"):
        body, answer = ask_sending(page, question)
        assert body["context"] == filters, question  # the stored context, then each answer's
        filters = answer["filters"]
    assert filters == {"type_filter": "cat", "max_price": 400, "sort_by": "age_asc"}
    pets = answer["pets"]
    assert pets and all(found["type"] == "cat" and found["price"] <= 400 for found in pets), pets
    assert shown_messages(page)[-1]["pets"] == [found["id"] for found in pets]
    users = [message["text"] for message in shown_messages(page) if message["who"] == "user"]
    assert users == [
        "dogs",
        "under $500",
        "cheapest first",
        "how about cats?",
        "youngest first",
        "under $400",
    ]


def test_show_more_carries_on_after_a_reload(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    first = [pet(f"d-{n}", f"Dog {n}", "dog", "Beagle", 1, 100 + n) for n in range(12)]
    dogs = {"type_filter": "dog"}
    api = FakeQueries(
        page,
        {
            "dogs": query_answer("dogs", dogs, [BELLA]),
            "cheap": query_answer("cheap", {**dogs, "max_price": 500}, first, next_token="page-2"),
            ("cheap", "page-2"): query_answer("cheap", {**dogs, "max_price": 500}, [BELLA]),
        },
    )
    ask(page, "dogs")
    ask(page, "cheap")
    reload_signed_in(page, "shopper")
    answer = page.locator("#messages > li.msg-answer").last
    answer.get_by_role("button", name="Show more").click()
    expect(answer.locator(".pet-card")).to_have_count(13)
    assert api.last == {"query": "cheap", "limit": 12, "next_token": "page-2", "context": dogs}
    reload_signed_in(page, "shopper")  # the pets "Show more" brought are kept too
    answer = page.locator("#messages > li.msg-answer").last
    expect(answer.locator(".pet-card")).to_have_count(13)
    expect(answer.get_by_role("button", name="Show more")).to_have_count(0)


def test_start_over_begins_the_stored_conversation_again(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    everything = query_answer("start over", {}, [BELLA, LUNA], summary="2 pets.")
    api = FakeQueries(
        page,
        {
            "dogs": query_answer("dogs", {"type_filter": "dog"}, [BELLA]),
            "start over": everything,
            "cats": query_answer("cats", {"type_filter": "cat"}, [LUNA]),
        },
    )
    ask(page, "dogs")
    click_to_ask(page, page.get_by_role("button", name="Start over"))
    reload_signed_in(page, "shopper")
    assert [(m["who"], m["text"]) for m in shown_messages(page)[1:]] == [
        ("user", "start over"),
        ("bot", "2 pets."),
    ]
    expect(page.locator("#refine")).to_be_hidden()
    ask(page, "cats")
    assert api.last == {"query": "cats", "limit": 12}


def test_logging_out_forgets_the_conversation(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    FakeQueries(page, {"dogs": query_answer("dogs", {"type_filter": "dog"}, [BELLA])})
    ask(page, "dogs")
    assert CONVERSATION_KEY in storage(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert storage(page) == {}
    log_in(page, local_stack, "staff")
    expect(page.locator("#messages > li")).to_have_count(1)  # the welcome alone
    expect(page.locator("#refine")).to_be_hidden()


def test_the_stored_conversation_stays_bounded(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    questions = [f"q{n}" for n in range(24)]
    # Long summaries, so that the size bound is reached before the count bound.
    FakeQueries(page, {q: query_answer(q, {}, [BELLA], summary=f"{q} " + "x" * 15_000) for q in questions})
    for question in questions:
        ask(page, question)
    bounds = page.evaluate(
        "async () => { const t = await import('./transcript.js'); return [t.MAX_MESSAGES, t.MAX_CHARS]; }"
    )
    raw = storage(page)[CONVERSATION_KEY]
    stored = json.loads(raw)["messages"]
    assert len(raw) <= bounds[1] and len(stored) <= bounds[0]
    assert stored[-1]["data"]["query"] == "q23" and len(stored) < 2 * len(questions)
    reload_signed_in(page, "shopper")
    users = [m["text"] for m in shown_messages(page) if m["who"] == "user"]
    assert users == questions[-len(users) :] and len(users) < len(questions)


def _stored(messages: list[Any], *, user: str = "shopper", version: int = 1, context: Any = None) -> str:
    return json.dumps({"v": version, "user": user, "context": context, "messages": messages})


HOSTILE_ANSWER = {
    "who": "bot",
    "kind": "answer",
    "asked": {"query": XSS_NAME, "context": {"name": XSS_NAME}},
    "data": {"summary": XSS_NAME, "filters": {"name": XSS_NAME}, "pets": [{"name": XSS_NAME}, "x", None]},
}
# What may be found under the page's key, and the user messages the page should then show.
STORED = {
    "not-json": ("{not json", []),
    "another-person": (_stored([{"who": "user", "text": "theirs"}], user="staff"), []),
    "another-version": (_stored([{"who": "user", "text": "later"}], version=2), []),
    "not-a-list": (json.dumps({"v": 1, "user": "shopper", "messages": "drop table"}), []),
    "odd-shapes": (
        _stored(
            [
                {"who": "admin", "text": "x"},
                {"who": "user", "text": 7},
                {"who": "bot", "kind": "answer", "data": {}},
                {"who": "bot", "kind": "script", "text": "x"},
                {"who": "user", "text": "kept"},
                {"who": "bot", "kind": "answer", "asked": {"query": "kept"}, "data": {"pets": "x"}},
            ],
            context="not filters",
        ),
        ["kept"],
    ),
    "hostile-text": (_stored([{"who": "user", "text": XSS_NAME}, HOSTILE_ANSWER]), [XSS_NAME]),
}


@pytest.mark.parametrize("kind", list(STORED))
def test_a_stored_value_the_page_did_not_write_is_ignored(
    tab: Watched, local_stack: LocalStack, kind: str
) -> None:
    page = tab.page
    raw, users = STORED[kind]
    log_in(page, local_stack, "shopper")
    page.evaluate("([key, raw]) => sessionStorage.setItem(key, raw)", [CONVERSATION_KEY, raw])
    reload_signed_in(page, "shopper")
    assert [m["text"] for m in shown_messages(page) if m["who"] == "user"] == users
    if kind == "hostile-text":
        expect(page.locator(".msg-answer .summary")).to_have_text(XSS_NAME)
        expect(page.locator(".msg-answer .pet-name")).to_have_text([XSS_NAME])
    assert page.evaluate("() => document.querySelectorAll('img, script:not([src])').length") == 0
    expect(page.locator("#refine")).to_be_hidden()  # nothing foreign became the context
    api = FakeQueries(page, {"cats": query_answer("cats", {"type_filter": "cat"}, [LUNA])})
    ask(page, "cats")
    assert api.last == {"query": "cats", "limit": 12}
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert tab.dialogs == []
