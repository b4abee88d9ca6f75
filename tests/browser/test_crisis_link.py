"""The way to help is on the first screen: on a phone, every page type shows its header's crisis
link without scrolling, and it is the first thing Tab reaches after the skip link."""

import pytest

from tests.browser.a11y_pages import each_page, seed

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Where the header's crisis link sits on the page (not the viewport: a page may load scrolled).
PLACE = """() => {
  const link = document.querySelector('header.site-header a[href="/crisis"]');
  if (!link) return null;
  const box = link.getBoundingClientRect(), style = getComputedStyle(link);
  return {top: box.top + window.scrollY, bottom: box.bottom + window.scrollY,
          left: box.left, right: box.right, height: box.height, inner: window.innerHeight,
          width: window.innerWidth,
          shown: style.visibility !== 'hidden' && style.display !== 'none'};
}"""


def test_every_page_type_shows_the_crisis_link_on_a_phones_first_screen(app, live_server, browser):
    hidden = []
    for name, _, page in each_page(browser, live_server, seed(app), viewport=PHONE):
        place = page.evaluate(PLACE)
        on_first_screen = (
            place is not None
            and place["shown"]
            and place["height"] > 0
            and place["bottom"] <= place["inner"]
            and place["left"] >= 0
            and place["right"] <= place["width"]
        )
        if not on_first_screen:
            hidden.append(f"{name} ({page.url}): {place}")
    assert not hidden, "pages without the crisis link on a phone's first screen:\n" + "\n".join(
        hidden
    )


def test_tab_reaches_the_crisis_link_right_after_the_skip_link(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.getAttribute('href'), !!document.activeElement.closest('header')]"
    )
    assert focused == ["/crisis", True]
