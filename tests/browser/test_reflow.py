"""Reflow (WCAG 1.4.10): no page scrolls sideways at 320 px, nor at 1280 px zoomed to 200 %.

1280 px at 200 % zoom lays out as a 640 px wide viewport, so that is what is used. The seeded
forum has a 300-letter word, a very long URL, the longest handle allowed and forms with errors.
"""

import pytest

from tests.browser.a11y_pages import LONG_HANDLE, LONG_WORD, each_page, seed

pytestmark = pytest.mark.browser

OVERFLOW = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(e => e.tagName + '.' + e.className)})"""


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "1280px-at-200pct"])
def test_no_page_type_scrolls_sideways(app, live_server, browser, width):
    wide = []
    viewport = {"width": width, "height": 800}
    for name, where, page in each_page(browser, live_server, seed(app), viewport=viewport):
        if where == "thread":
            assert LONG_WORD in page.inner_text("main")
            assert LONG_HANDLE in page.inner_text("main")
        measured = page.evaluate(OVERFLOW)
        if measured["scroll"] > measured["inner"]:
            wide.append(f"{name} ({page.url}): {measured}")
    assert not wide, f"pages wider than {width} px:\n" + "\n".join(wide)
