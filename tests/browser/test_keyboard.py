"""Keyboard only: skip link, visible focus, labels, errors tied to fields, depth announced.

A lurker registers, starts a thread, replies, opens a content warning and reports a post
with Tab, Shift+Tab, Enter, Space and typing into the
focused field only; each field is found by tabbing until it is ``document.activeElement``.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y_pages import seed

pytestmark = pytest.mark.browser

FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {id: e.id, tag: e.tagName, text: (e.innerText || e.value || '').trim().slice(0, 40),
          outline: s.outlineStyle, box: s.boxShadow}; }"""
CONTROLS = "main input:not([type=hidden]), main select, main textarea"
UNLABELLED = (
    """() => [...document.querySelectorAll('"""
    + CONTROLS
    + """')]
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
  && !e.getAttribute('aria-labelledby')).map(e => e.name || e.id)"""
)


def tab_to(page, predicate, limit=150, key="Tab") -> dict:
    """Press ``key`` until the focused element matches ``predicate``; fail after ``limit``."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if predicate(focused):
            assert focused["outline"] != "none" or focused["box"] != "none", focused
            return focused
    pytest.fail(f"{limit} presses of {key} never reached the element")


def type_into(page, element_id: str, text: str) -> None:
    tab_to(page, lambda f: f["id"] == element_id)
    page.keyboard.type(text)


def test_a_lurker_registers_posts_opens_a_warning_and_reports_by_keyboard(app, live_server, page):
    seeded = seed(app)
    page.goto(f"{live_server}/register")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Skip to content", first
    assert first["outline"] != "none" or first["box"] != "none", first
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate(UNLABELLED) == []

    type_into(page, "handle", "qu")  # too short: the server answers with an error
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Register")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    handle = page.locator("#handle")
    expect(handle).to_have_attribute("aria-invalid", "true")
    described = handle.get_attribute("aria-describedby") or ""
    assert "handle-error" in described.split()
    expect(page.locator("#handle-error")).not_to_be_empty()
    assert page.evaluate(UNLABELLED) == []

    page.keyboard.press("Shift+Tab")  # focus back into the page, then walk to the fields
    type_into(page, "handle", "iet_lurker")  # the field kept "qu"
    type_into(page, "password", "a long enough passphrase")
    type_into(page, "password_confirm", "a long enough passphrase")
    for box in page.evaluate(
        "[...document.querySelectorAll('main input[type=checkbox][required]')].map(e => e.id)"
    ):
        tab_to(page, lambda f, box=box: f["id"] == box)
        page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Register")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.locator(".account-menu > summary").click()  # the menu under the handle
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(f"{live_server}/b/depression/new")
    type_into(page, "title", "Typed without a mouse")
    type_into(page, "body", "Every key of this was a key press.")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Post thread")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Typed without a mouse")).to_be_visible()
    type_into(page, "body", "And a reply, by keyboard too.")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Post reply")
    page.keyboard.press("Enter")
    expect(page.locator("main").get_by_text("And a reply, by keyboard too.")).to_be_visible()

    page.goto(f"{live_server}{seeded['thread']}")
    warned = page.locator("details.content-warning").first
    expect(warned.get_by_text("Hard words behind a warning.")).not_to_be_visible()
    tab_to(page, lambda f: f["tag"] == "SUMMARY" and f["text"].startswith("Content warning"))
    page.keyboard.press("Enter")
    expect(warned.get_by_text("Hard words behind a warning.")).to_be_visible()
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Report")
    page.keyboard.press("Enter")
    page.wait_for_url("**/report")
    assert page.evaluate(UNLABELLED) == []
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Send report")
    page.keyboard.press("Enter")  # no reason chosen: the error is tied to the choices
    expect(page.locator("fieldset[aria-describedby=reason-error]")).to_be_visible()
    expect(page.locator("#reason-error")).not_to_be_empty()
    tab_to(page, lambda f: f["tag"] == "INPUT" and f["id"].startswith("reason"))
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Send report")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you for telling us.")).to_be_visible()

    page.goto(f"{live_server}{seeded['thread']}")
    levels = page.evaluate(
        "[...document.querySelectorAll('.post-tree [role=listitem]')]"
        ".map(e => +e.getAttribute('aria-level'))"
    )
    assert max(levels) >= 4, levels
    assert page.evaluate(UNLABELLED) == []
