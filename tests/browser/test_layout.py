"""Layout in Chromium, on every page type, as a lurker, a member, a moderator and an admin, at
1280 and 390 px: nothing fails to load, the header is one row, radios and checkboxes sit on
their label's line, no word of a label or button breaks in the middle, nothing scrolls
sideways on a phone. With FORUM_SCREENSHOTS=<folder> (``make screenshots``) the same pages
are photographed, light, dark and at phone width, for people to look at.
"""

import os
import re
from pathlib import Path

import pytest

from tests.browser.a11y_pages import ROLES, each_role_page, pages_for, seed
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The header row's visible parts (links, buttons, fields, menu buttons) and where they are.
HEADER_ROW = """() => {
  const row = document.querySelector('.site-header .header-row');
  // Shown, not merely laid out: a closed menu's insides are laid out but not drawn.
  const parts = [...row.querySelectorAll('a, button, input, summary')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && !e.closest('.visually-hidden')
      && e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true});
  });
  return parts.map(e => { const box = e.getBoundingClientRect();
    return {what: (e.textContent || e.placeholder || e.tagName).trim().slice(0, 30),
            top: box.top, bottom: box.bottom, left: box.left, right: box.right}; });
}"""

# Each visible radio or checkbox, and the first line of its label.
CHOICES = """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
  .filter(e => e.getBoundingClientRect().width > 0 && e.checkVisibility({visibilityProperty: true}))
  .map(e => {
    const label = e.labels && e.labels[0];
    const box = e.getBoundingClientRect();
    const line = label ? label.getClientRects()[0] : null;
    return {id: e.id || e.name, label: label ? label.textContent.trim().slice(0, 40) : null,
            mid: (box.top + box.bottom) / 2, left: box.left, right: box.right,
            lineTop: line && line.top, lineBottom: line && line.bottom,
            lineLeft: line && line.left, lineRight: line && line.right};
  })"""

# Words cut in two by a line break although they would fit on a line of their own (in the
# nearest block that is not a table cell or a flex or grid item, which shrink to let words
# break), and buttons whose words take more than one line. Text hidden from sight, and the
# decorative avatar letters, are skipped.
BROKEN_WORDS = """() => {
  const broken = [], buttons = [];
  const hidden = (element) => !element || element.closest('.visually-hidden, .av, script, style')
    || !element.checkVisibility({visibilityProperty: true});
  const SHRINKS = new Set(['inline', 'inline-block', 'inline-flex', 'inline-grid', 'contents',
    'table', 'table-cell', 'table-row', 'table-row-group', 'table-header-group']);
  const room = (element) => {
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      const parent = e.parentElement, shown = getComputedStyle(e).display;
      const inFlex = parent && /flex|grid/.test(getComputedStyle(parent).display);
      if (SHRINKS.has(shown) || inFlex || shown.startsWith('table')) continue;
      const style = getComputedStyle(e);
      return e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }
    return document.body.clientWidth;
  };
  const lines = (rects) => {
    const rows = [];
    const shown = [...rects].filter(r => r.width > 1 && r.height > 1);
    for (const r of shown.sort((a, b) => a.top - b.top)) {
      const last = rows[rows.length - 1];
      if (last && r.top < last.bottom - 2) last.bottom = Math.max(last.bottom, r.bottom);
      else rows.push({top: r.top, bottom: r.bottom});
    }
    return rows.length;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (hidden(node.parentElement)) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/[^\\s\\-\\/\\u2014\\u2013\\u00b7]+/g)) {
      const word = match[0];
      if (word.length < 2) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + word.length);
      const rects = [...range.getClientRects()];
      if (lines(rects) < 2) continue;
      const width = rects.reduce((sum, r) => sum + r.width, 0);
      if (width <= room(node.parentElement)) broken.push(word);
    }
  }
  for (const button of document.querySelectorAll('button, .button')) {
    if (hidden(button)) continue;
    const rects = [];
    const texts = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      if (hidden(node.parentElement) || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      rects.push(...range.getClientRects());
    }
    if (lines(rects) > 1) buttons.push(button.textContent.trim().slice(0, 40));
  }
  return {broken: [...new Set(broken)].slice(0, 8), buttons: [...new Set(buttons)].slice(0, 8)};
}"""

SIDEWAYS = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(e => e.tagName + '.' + e.className)})"""


def header_rows(parts: list[dict]) -> int:
    """How many rows the header's parts make (parts overlapping vertically share a row)."""
    rows: list[tuple[float, float]] = []
    for part in sorted(parts, key=lambda p: p["top"]):
        if rows and part["top"] < rows[-1][1] - 4:
            rows[-1] = (rows[-1][0], max(rows[-1][1], part["bottom"]))
        else:
            rows.append((part["top"], part["bottom"]))
    return len(rows)


def choices_off_their_line(choices: list[dict]) -> list[str]:
    """Radios and checkboxes not on the first line of their label, or not beside it."""
    wrong = []
    for choice in choices:
        if choice["label"] is None:
            wrong.append(f"{choice['id']}: no label")
            continue
        on_line = choice["lineTop"] - 2 <= choice["mid"] <= choice["lineBottom"] + 2
        beside = (
            0 <= choice["lineLeft"] - choice["right"] <= 48
            or 0 <= choice["left"] - choice["lineRight"] <= 48
        )
        if not (on_line and beside):
            wrong.append(f"{choice['id']} ({choice['label']!r}): {choice}")
    return wrong


def layout_problems(page, response, width: int) -> list[str]:
    """What is wrong with the page as laid out at ``width``."""
    # A form sent with errors answers 400 on purpose; Chromium logs that as a failed load,
    # and any other resource that fails is in page.problems from the response listener.
    problems = [p for p in page.problems if "Failed to load resource" not in p]
    if response is None or response.status >= 500:
        problems.append(f"answered {response and response.status}")
    parts = page.evaluate(HEADER_ROW)
    if header_rows(parts) != 1:
        problems.append(f"the header takes {header_rows(parts)} rows: {parts}")
    problems += choices_off_their_line(page.evaluate(CHOICES))
    words = page.evaluate(BROKEN_WORDS)
    if words["broken"]:
        problems.append(f"words broken across lines: {words['broken']}")
    if words["buttons"]:
        problems.append(f"buttons on more than one line: {words['buttons']}")
    sideways = page.evaluate(SIDEWAYS)
    if sideways["scroll"] > sideways["inner"]:
        problems.append(f"scrolls sideways: {sideways}")
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_every_page_type_is_laid_out_well_for_every_role(app, live_server, browser, viewport):
    seeded = seed(app)
    found, seen = [], 0
    for role, name, page, response in each_role_page(
        browser, live_server, seeded, viewport=viewport
    ):
        seen += 1
        for problem in layout_problems(page, response, viewport["width"]):
            found.append(f"{role} / {name} ({page.url}): {problem}")
    assert seen == sum(len(pages_for(role)) for role in ROLES)
    assert not found, "layout problems:\n" + "\n".join(found)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_crisis_link_and_every_header_link_are_reachable(app, live_server, browser, viewport):
    """The crisis link is always in sight; every header link is visible at once on a wide
    screen, and after opening "Menu" (no script needed) on a phone, without sideways scroll."""
    seeded = seed(app)
    for role, _, page, _ in each_role_page(
        browser, live_server, seeded, roles=("admin",), viewport=viewport
    ):
        crisis = page.locator(".header-help a[href='/crisis']")
        assert crisis.is_visible()
        menu = page.locator(".site-menu > summary")
        if viewport is PHONE:
            assert menu.is_visible()
            assert not page.get_by_role("link", name="Moderation").is_visible()
            menu.click()
        else:
            assert not menu.is_visible()
            page.locator(".account-menu > summary").click()
        for name in ("Boards", "Notifications", "Moderation", "Admin", "Settings", ROLES[role]):
            link = page.locator("nav[aria-label=Account]").get_by_role("link", name=name)
            assert link.first.is_visible(), (role, viewport, name)
        assert page.get_by_role("button", name="Log out").is_visible()
        assert page.evaluate(SIDEWAYS)["scroll"] <= viewport["width"]
        break


def test_the_layout_checks_catch_what_they_look_for(live_server, browser):
    """The checks above can fail: a squeezed button, a word cut by a narrow table column, a
    checkbox above its label, a second header row and a too-wide block are all reported.
    (This context bypasses the CSP, which would refuse the planted style attributes.)"""
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP)
    page = context.new_page()
    page.problems = []
    response = page.goto(f"{live_server}/")
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', `
          <button style="width: 3.2rem; white-space: normal">Search</button>
          <table style="width: 8rem"><tr><td style="overflow-wrap: anywhere">When</td>
            <td>${'x'.repeat(40)}</td></tr></table>
          <p><input type="checkbox" id="planted"><label for="planted" style="display: block">
            Planted</label></p>
          <div style="width: 2000px">wide</div>`);
        const row = document.querySelector('.header-row');
        row.style.flexWrap = 'wrap';
        row.insertAdjacentHTML('beforeend', '<a href="/" style="flex-basis: 100%">Row two</a>');
      }"""
    )
    found = "\n".join(layout_problems(page, response, 1280))
    context.close()
    assert "the header takes 2 rows" in found
    assert "planted" in found
    assert "'When'" in found and "'Search'" in found
    assert "scrolls sideways" in found


def test_the_content_warning_asks_for_own_words_only_for_something_else(app, live_server, browser):
    """One choice; "Your own words" appears when "Something else" is chosen, with scripts off
    (CSS :has()), and what is typed there is posted as the warning."""
    seed(app)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        log_in(page, live_server, ROLES["member"])
        page.goto(f"{live_server}/b/depression/new")
        own = page.get_by_label("Your own words")
        assert page.get_by_label("Content warning").is_visible()
        assert not own.is_visible()
        page.get_by_label("Content warning").select_option("grief")
        assert not own.is_visible()
        page.get_by_label("Content warning").select_option(label="Something else (write it below)")
        assert own.is_visible()
        own.fill("Hospital stays")
        page.fill("#title", "A week in hospital")
        page.fill("#body", "Home again now, and tired.")
        page.get_by_role("button", name="Post thread").click()
        assert page.locator("details.content-warning > summary").first.inner_text() == (
            "Content warning: Hospital stays"
        )
    finally:
        context.close()


SCREENSHOTS = os.environ.get("FORUM_SCREENSHOTS")
LOOKS = {
    "light": ({"viewport": DESKTOP, "color_scheme": "light"}),
    "dark": ({"viewport": DESKTOP, "color_scheme": "dark"}),
    "phone": ({"viewport": PHONE, "color_scheme": "light", "device_scale_factor": 1}),
    "phone-dark": ({"viewport": PHONE, "color_scheme": "dark", "device_scale_factor": 1}),
}


@pytest.mark.skipif(not SCREENSHOTS, reason="set FORUM_SCREENSHOTS=<folder> (make screenshots)")
@pytest.mark.parametrize("look", list(LOOKS))
def test_screenshots_of_every_page_type_for_every_role(app, live_server, browser, look):
    folder = Path(SCREENSHOTS) / look
    folder.mkdir(parents=True, exist_ok=True)
    seeded = seed(app)
    taken = 0
    for role, name, page, _ in each_role_page(browser, live_server, seeded, **LOOKS[look]):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(folder / f"{role}--{slug}.png"), full_page=True)
        taken += 1
    assert taken == sum(len(pages_for(role)) for role in ROLES)
