"""WCAG 2.2 AA, checked by axe-core in headless Chromium on every page type, light and dark.

axe-core is installed by ``make axe-deps`` into .venv/node; the tests skip, saying so, when it
is missing. The site's CSP forbids injected scripts, so these contexts bypass CSP (the page's own
policy is tested elsewhere).
"""

from pathlib import Path

import pytest

from tests.browser.a11y_pages import PAGES, each_page, seed

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".venv" / "node" / "node_modules" / "axe-core"
AXE_JS = AXE / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " +
                                               (n.failureSummary || "").replace(/\\s+/g, " "))}));
}"""


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE, TAGS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_has_no_serious_or_critical_axe_violations(
    app, live_server, browser, scheme
):
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed at {AXE_JS}: run make axe-deps")
    found = []
    checked = 0
    options = {"bypass_csp": True, "color_scheme": scheme}
    for name, _, page in each_page(browser, live_server, seed(app), **options):
        checked += 1
        for violation in axe_violations(page):
            found.append(
                f"[{scheme}] {name} ({page.url}): {violation['id']} "
                f"({violation['impact']}) {violation['help']}"
            )
            found.extend(f"    {node}" for node in violation["nodes"])
    assert checked == len(PAGES)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)


def test_the_axe_check_catches_low_contrast_and_an_unlabelled_field(live_server, browser):
    """The check above can fail: axe on this site sees a planted faint text and bare input."""
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed at {AXE_JS}: run make axe-deps")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/")
        page.evaluate(
            """() => { const p = document.createElement('p');
            p.textContent = 'faint words'; p.style.color = '#ddd'; p.style.background = '#fff';
            document.querySelector('main').append(p, document.createElement('input')); }"""
        )
        ids = {violation["id"] for violation in axe_violations(page)}
    finally:
        context.close()
    assert {"color-contrast", "label"} <= ids, ids
