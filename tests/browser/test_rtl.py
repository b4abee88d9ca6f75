"""Right to left, in Chromium: in the tests' right-to-left pseudo-locale every page type, for
every role, is ``dir="rtl"``, the header mirrors (the brand on the right, the menu on the
left) and nothing scrolls sideways on a 390 px phone; the same pages in English keep the
brand on the left (the check's control)."""

import pytest

from tests.browser.a11y_pages import each_role_page, seed
from tests.browser.test_layout import SIDEWAYS
from tests.i18n_catalogs import PSEUDO, pseudo, write_pseudo_catalog

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Where the header's brand and menu sit, and the page's direction as Chromium computed it.
HEADER = """() => {
  const row = document.querySelector('.site-header .header-row');
  const brand = document.querySelector('.site-header .brand').getBoundingClientRect();
  // The header's other visible parts (search, links, the menu button), as test_layout reads them.
  const others = [...row.querySelectorAll('a, button, input, summary')].filter(e => {
    const box = e.getBoundingClientRect();
    return !e.closest('.brand') && box.width > 0 && box.height > 0
      && !e.closest('.visually-hidden') && e.checkVisibility({visibilityProperty: true});
  }).map(e => e.getBoundingClientRect());
  const box = row.getBoundingClientRect();
  return {dir: getComputedStyle(document.documentElement).direction,
          row: {left: box.left, right: box.right},
          brand: {left: brand.left, right: brand.right},
          othersLeft: Math.min(...others.map(r => r.left)),
          othersRight: Math.max(...others.map(r => r.right))};
}"""


@pytest.fixture
def app_config(app_config, tmp_path):
    return {
        **app_config,
        "FORUM_EXTRA_LANGUAGES": {PSEUDO: pseudo("Pseudo")},
        "FORUM_EXTRA_TRANSLATIONS": str(write_pseudo_catalog(tmp_path / "pseudo")),
    }


def in_language(language: str, base: str) -> dict:
    """Browser context options whose cookie asks for ``language``."""
    return {"storage_state": {"cookies": [cookie(language, base)], "origins": []}}


def cookie(language: str, base: str) -> dict:
    host = base.split("//", 1)[1].split(":")[0]
    return {
        "name": "lang",
        "value": language,
        "domain": host,
        "path": "/",
        "expires": -1,
        "httpOnly": True,
        "secure": False,
        "sameSite": "Lax",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_right_to_left_pages_mirror_and_never_scroll_sideways(app, live_server, browser, viewport):
    seeded = seed(app)
    wrong = []
    for role, name, page, _ in each_role_page(
        browser, live_server, seeded, viewport=viewport, **in_language(PSEUDO, live_server)
    ):
        where = f"{role}: {name} at {viewport['width']} px"
        header = page.evaluate(HEADER)
        if page.evaluate("document.documentElement.getAttribute('dir')") != "rtl":
            wrong.append(f"{where}: <html> is not dir=rtl")
        if header["dir"] != "rtl":
            wrong.append(f"{where}: the page is laid out {header['dir']}")
        row, brand = header["row"], header["brand"]
        middle = (row["left"] + row["right"]) / 2
        if brand["left"] < middle or header["othersRight"] > brand["left"]:
            wrong.append(f"{where}: the brand is not on the right of the header: {header}")
        sideways = page.evaluate(SIDEWAYS)
        if sideways["scroll"] > viewport["width"]:
            wrong.append(f"{where}: scrolls sideways ({sideways})")
    assert not wrong, "\n".join(wrong)


def test_left_to_right_pages_keep_the_brand_on_the_left(app, live_server, browser):
    """The control: the same check in English finds the brand at the left edge."""
    seeded = seed(app)
    for _role, name, page, _ in each_role_page(
        browser,
        live_server,
        seeded,
        roles=("lurker",),
        viewport=PHONE,
        **in_language("en", live_server),
    ):
        header = page.evaluate(HEADER)
        assert header["dir"] == "ltr", name
        middle = (header["row"]["left"] + header["row"]["right"]) / 2
        assert header["brand"]["right"] < middle, (name, header)
        assert header["othersLeft"] > header["brand"]["right"], (name, header)
