"""Reflow (WCAG 1.4.10): no page scrolls sideways at 320 px, nor at 1280 px zoomed to 200 %.

1280 px at 200 % zoom lays out as a 640 px wide viewport, so that is what is used. The seeded
forum has a 300-letter word, a very long URL, the longest handle allowed and forms with errors.
"""

from itertools import groupby

import pytest

from tests.browser.a11y_pages import LONG_HANDLE, LONG_WORD, PAGES, log_in, seed, visit
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

OVERFLOW = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(e => e.tagName + '.' + e.className)})"""


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "1280px-at-200pct"])
def test_no_page_type_scrolls_sideways(app, live_server, browser, width):
    seeded = seed(app)
    wide = []
    for who, pages in groupby(PAGES, key=lambda entry: entry[1]):
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            if who:
                log_in(page, live_server, who)
            for name, _, where, button in pages:
                visit(page, live_server, seeded, who, where, button)
                if where == "thread":
                    assert LONG_WORD in page.inner_text("main")
                    assert LONG_HANDLE in page.inner_text("main")
                measured = page.evaluate(OVERFLOW)
                if measured["scroll"] > measured["inner"]:
                    wide.append(f"{name} ({page.url}): {measured}")
        finally:
            context.close()
    assert not wide, f"pages wider than {width} px:\n" + "\n".join(wide)
