"""Every screen for everyone: a 390 px phone, contrast, and the keyboard alone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from localdev.stack import LocalStack
from tests.support.browser import (
    DOG_QUESTION,
    PHONE,
    Watched,
    ask,
    log_in,
    needs_chromium,
    question_box,
    shot,
)

pytestmark = needs_chromium


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
    box = question_box(page)
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
