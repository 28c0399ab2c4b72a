"""Every screen for everyone: axe-core on each, a 390 px phone, contrast, and the keyboard alone.

axe-core is the copy bundled with axe-playwright-python (no download). A violation of serious or
critical impact fails the test; moderate and minor ones are reported as AccessibilityWarning.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from localdev.stack import LocalStack
from tests.support.accounts import (
    app_code,
    new_user,
    user_with_two_step,
)
from tests.support.browser import (
    DOG_QUESTION,
    PHONE,
    Watched,
    ask,
    assert_accessible,
    click_to_ask,
    log_in,
    open_add_form,
    open_sign_in,
    open_without_config,
    question_box,
    reach_the_new_password_screen,
    shot,
    submit_sign_in,
)
from tests.support.scripted import (
    CHICO,
    LUNA,
    FakeQueries,
    pet,
    query_answer,
)

NO_POODLES = query_answer(
    "poodles under $50",
    {"type_filter": "dog", "breed": "Poodle", "max_price": 50},
    [],
    summary="No Poodle dogs up to $50; the cheapest Poodle is $380.",
    unmatched=["fluffy"],
    suggestions=[
        {
            "query": "poodles under $400",
            "filters": {"type_filter": "dog", "breed": "Poodle", "max_price": 400},
        },
        {"query": "dogs under $50", "filters": {"type_filter": "dog", "max_price": 50}},
    ],
)


# ---------- axe-core, screen by screen ----------


def test_axe_config_error(page: Page, local_stack: LocalStack) -> None:
    open_without_config(page, local_stack)
    assert_accessible(page, "the config error")


def test_axe_sign_in_and_its_error(page: Page, local_stack: LocalStack) -> None:
    open_sign_in(page, local_stack)
    assert_accessible(page, "sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_have_text("Enter your username.")
    assert_accessible(page, "sign-in with an error")


def test_axe_new_password(page: Page, local_stack: LocalStack) -> None:
    reach_the_new_password_screen(page, local_stack)
    assert_accessible(page, "new password")


def test_axe_chat_with_an_answer(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    assert_accessible(page, "the welcome message")
    answer = ask(page, "pets")
    expect(answer.get_by_role("button", name="Show more")).to_be_visible()
    ask(page, DOG_QUESTION)
    expect(page.locator("#refine")).to_be_visible()
    assert_accessible(page, "answers, with the refining line")


def test_axe_empty_answer_with_suggestions(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    everything = query_answer("start over", {}, [CHICO, LUNA], summary="2 pets.")
    FakeQueries(page, {"poodles under $50": NO_POODLES, "start over": everything})
    answer = ask(page, "poodles under $50")
    expect(answer.get_by_role("list", name="Suggestions")).to_be_visible()
    expect(answer.locator(".unmatched")).to_be_visible()
    assert_accessible(page, "an empty answer with suggestions")
    click_to_ask(page, page.get_by_role("button", name="Start over"))
    expect(page.locator("#refine")).to_be_hidden()
    assert_accessible(page, "after Start over")


def test_axe_an_answer_that_says_how_it_read_the_question(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    explained = query_answer(
        "chiwawa",
        {"type_filter": "dog", "breed": "Chihuahua"},
        [CHICO],
        summary="No Chihuahua dogs up to $50; here are our Chihuahua dogs.",
        relaxed=["max_price"],
        corrected={"chiwawa": "Chihuahua"},
        unmatched=["tiny"],
    )
    FakeQueries(page, {"chiwawa": explained})
    answer = ask(page, "chiwawa")
    expect(answer.locator(".relaxed")).to_be_visible()
    expect(answer.locator(".corrected")).to_be_visible()
    assert_accessible(page, "an answer that left something out and read a spelling")


def test_axe_errors_in_the_chat(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "shopper")
    page.route("**/pets/query", lambda route: route.fulfill(status=429, body=""))
    ask(page, "cats")
    assert_accessible(page, "an error answer")


def test_axe_add_a_pet_dialog(page: Page, local_stack: LocalStack) -> None:
    log_in(page, local_stack, "staff")
    dialog = open_add_form(page)
    assert_accessible(page, "the add-a-pet dialog")
    dialog.get_by_role("button", name="Add pet").click()
    expect(page.locator("#pet-name-error")).not_to_be_empty()
    assert_accessible(page, "the add-a-pet dialog with errors")


def test_axe_two_step_sign_in_and_its_setup(page: Page, local_stack: LocalStack) -> None:
    username, _ = user_with_two_step(local_stack)
    submit_sign_in(page, local_stack, username)
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    assert_accessible(page, "the code step of signing in")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#code-error")).not_to_be_empty()
    assert_accessible(page, "the code step with an error")

    log_in(page, local_stack, new_user(local_stack))
    page.get_by_role("button", name="Set up two-step sign-in").click()
    dialog = page.get_by_role("dialog", name="Set up two-step sign-in")
    expect(dialog.locator("#twostep-key")).not_to_have_text("Getting a key…")
    assert_accessible(page, "the two-step setup")
    dialog.get_by_role("button", name="Turn on").click()
    expect(dialog.locator("#twostep-error")).not_to_be_empty()
    assert_accessible(page, "the two-step setup with an error")
    secret = (dialog.locator("#twostep-key").text_content() or "").replace(" ", "")
    dialog.get_by_label("Type the 6-digit code the app shows").fill(app_code(secret))
    dialog.get_by_role("button", name="Turn on").click()
    expect(dialog.get_by_role("status")).not_to_be_empty()
    assert_accessible(page, "two-step sign-in turned on")


def test_phone_width_has_no_sideways_scrolling(phone_tab: Watched, local_stack: LocalStack) -> None:
    page = phone_tab.page
    open_sign_in(page, local_stack)
    shot(page, "phone-login")
    assert_accessible(page, "sign-in on a phone")
    log_in(page, local_stack, "staff")
    shot(page, "phone-welcome")
    answer = ask(page, DOG_QUESTION)
    expect(answer.locator(".pet-card").first).to_be_visible()
    expect(page.locator("#refine")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-answer")
    assert_accessible(page, "an answer on a phone")
    FakeQueries(page, {"poodles under $50": NO_POODLES})
    ask(page, "poodles under $50")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-suggestions")
    open_add_form(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-add-form")
    assert_accessible(page, "the add-a-pet dialog on a phone")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Set up two-step sign-in").click()
    expect(page.locator("#twostep-key")).not_to_have_text("Getting a key…")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-two-step-setup")
    assert_accessible(page, "the two-step setup on a phone")


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
    FakeQueries(
        page,
        {
            DOG_QUESTION: query_answer(
                DOG_QUESTION,
                {"type_filter": "dog", "max_price": 500, "sort_by": "age_asc"},
                [pet("d-1", "Rex", "dog", "Beagle", 2, 450)],
                unmatched=["cheap"],
            ),
            "poodles under $50": NO_POODLES,
            "chiwawa": query_answer(
                "chiwawa", {}, [CHICO], relaxed=["max_price"], corrected={"chiwawa": "Chihuahua"}
            ),
        },
    )
    ask(page, DOG_QUESTION)
    ask(page, "chiwawa")
    ask(page, "poodles under $50")
    selectors = [
        ".lead", ".example", ".hint", ".msg-user .bubble", ".summary", ".badge", ".chip", ".pet-name",
        ".pet-kind", ".pet-facts dt", ".pet-price", "#chat-send", "#logout", "#who-role", ".who",
        ".unmatched", ".empty", ".suggestions .example", ".refine-line", "#start-over", ".relaxed",
        ".corrected", ".offer p", ".offer button",
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
