"""Untrusted text from the store (a pet's name) and from people (a question) on the page as text."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from localdev.stack import LocalStack
from tests.support.browser import (
    XSS_NAME,
    Watched,
    ask,
    click_to_ask,
    log_in,
    shot,
)


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
        click_to_ask(page, page.get_by_role("button", name="Start over"))
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
