"""Lighthouse: accessibility 100 and best practices 100 on the home page, a thread and the
new-thread form (as a member), in light and in dark.

Lighthouse (npm ``lighthouse``, pinned, ``make lighthouse-deps`` into .venv/lighthouse) drives
Debian's Chromium, which this test starts itself once per colour scheme: dark is Chromium's
``--force-dark-mode`` (a dark system theme, which ``prefers-color-scheme`` follows; Lighthouse
has no option of its own for it). That it really switched is checked twice: Playwright reads the
home page's computed background in that very browser before Lighthouse runs, and the screenshot
in each Lighthouse report must be dark on average in dark and light in light. Only the two
categories are gathered, with Lighthouse's default emulation of a phone and no real throttling:
about ten seconds a page. SEO is left out on purpose: every page says ``noindex`` unless
FORUM_ALLOW_INDEXING is set.
"""

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.browser.a11y_pages import seed
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

LIGHTHOUSE = (
    Path(__file__).resolve().parents[2]
    / ".venv"
    / "lighthouse"
    / "node_modules"
    / "lighthouse"
    / "cli"
    / "index.js"
)
CATEGORIES = ("accessibility", "best-practices")
# Chromium's flags for each colour scheme: a dark system theme for dark.
SCHEMES = {"light": [], "dark": ["--force-dark-mode"]}
# The page background of static/style.css (--bg), as getComputedStyle gives it.
BACKGROUNDS = {"light": "rgb(248, 245, 239)", "dark": "rgb(24, 22, 20)"}
MEMBER = "caring_reader"


def lighthouse_or_skip() -> list[str]:
    """The command that runs Lighthouse, or a skip saying what is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Lighthouse needs node, which is not installed")
    if not LIGHTHOUSE.exists():
        pytest.skip(f"Lighthouse is not installed at {LIGHTHOUSE}: make lighthouse-deps")
    if not CHROMIUM.exists():
        pytest.skip(f"Lighthouse needs Chromium at {CHROMIUM}, which does not exist")
    return [node, str(LIGHTHOUSE)]


class Chromium:
    """Debian's Chromium in the background with a DevTools port, for Lighthouse and Playwright
    to share."""

    def __init__(self, folder: Path, scheme: str):
        self.folder = folder
        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                *CHROMIUM_ARGS,
                "--headless=new",
                f"--user-data-dir={folder}",
                "--remote-debugging-port=0",
                *SCHEMES[scheme],
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        active = self.folder / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if active.exists() and active.read_text().strip():
                return int(active.read_text().splitlines()[0])
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not open its DevTools port")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def page_background(playwright_browser, port: int, url: str) -> str:
    """The computed background of ``url``'s body in the browser on ``port``, as that browser's
    own colour scheme makes it (reached with the Playwright of ``playwright_browser``)."""
    shared = playwright_browser.browser_type.connect_over_cdp(f"http://127.0.0.1:{port}")
    try:
        page = shared.contexts[0].new_page()
        page.set_default_timeout(TIMEOUT_MS)
        # Playwright emulates a light scheme unless told not to: the flag alone must decide.
        page.emulate_media(color_scheme="no-override")
        page.goto(url)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.close()
        return background
    finally:
        # Disconnected before Lighthouse runs: Playwright would emulate a light scheme on
        # every page opened in that browser while connected, Lighthouse's too.
        shared.close()


# The mean lightness (0 to 255) of an image given as a data URL, drawn on a canvas.
MEAN_LIGHTNESS = """async (source) => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0;
  for (let i = 0; i < pixels.length; i += 4) sum += (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;
  return sum / (pixels.length / 4);
}"""


def screenshot_lightness(page, report: dict) -> float:
    """How light the page Lighthouse itself looked at was, from the screenshot in its report."""
    page.goto("about:blank")
    return page.evaluate(MEAN_LIGHTNESS, report["fullPageScreenshot"]["screenshot"]["data"])


def member_cookie(browser, base: str) -> str:
    """The ``Cookie`` header of a member logged in through the real form."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        log_in(context.new_page(), base, MEMBER)
        return "; ".join(f"{c['name']}={c['value']}" for c in context.cookies(base))
    finally:
        context.close()


def run_lighthouse(command: list[str], port: int, url: str, cookie: str | None, out: Path):
    """Lighthouse's report on ``url`` (JSON), gathered in the browser on ``port``."""
    arguments = [
        *command,
        url,
        f"--port={port}",
        f"--only-categories={','.join(CATEGORIES)}",
        # Simulated throttling slows nothing down while gathering (it only computes what
        # performance would be, and performance is not gathered); "provided" would make
        # Lighthouse wait 5 seconds for quiet after each load.
        "--throttling-method=simulate",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--max-wait-for-load=20000",
    ]
    if cookie:
        arguments.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and out.exists(), f"Lighthouse failed on {url}:\n{result.stderr}"
    return json.loads(out.read_text())


def shortfalls(report: dict) -> list[str]:
    """Every audit below full marks in the checked categories, with the elements it names."""
    found = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] == 0 or audit["score"] is None or audit["score"] >= 1:
                continue
            items = (audit.get("details") or {}).get("items") or []
            named = [
                (item.get("node") or {}).get("snippet") or item.get("description") or str(item)
                for item in items[:5]
            ]
            found.append(f"{category}: {audit['id']} ({audit['title']}) {named}")
    return found


def test_lighthouse_gives_full_marks_in_light_and_dark(app, live_server, browser, tmp_path):
    command = lighthouse_or_skip()
    seeded = seed(app)
    cookie = member_cookie(browser, live_server)
    pages = [
        ("home", f"{live_server}/", None),
        ("thread", f"{live_server}{seeded['thread']}", None),
        ("new thread", f"{live_server}/b/depression/new", cookie),
    ]
    failures = []
    decoder = browser.new_page()
    for scheme in SCHEMES:
        chromium = Chromium(tmp_path / f"chromium-{scheme}", scheme)
        try:
            shown = page_background(browser, chromium.port, f"{live_server}/")
            assert shown == BACKGROUNDS[scheme], f"{scheme}: the page's background is {shown}"
            for name, url, with_cookie in pages:
                report = run_lighthouse(
                    command, chromium.port, url, with_cookie, tmp_path / f"{scheme}-{name}.json"
                )
                lightness = screenshot_lightness(decoder, report)
                looked = "dark" if lightness < 128 else "light"
                assert looked == scheme, f"{name} looked {looked} to Lighthouse ({lightness:.0f})"
                scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
                if any(score != 1 for score in scores.values()):
                    failures.append(f"{name} ({scheme}): {scores}")
                    failures.extend(f"  {line}" for line in shortfalls(report))
        finally:
            chromium.stop()
    decoder.close()
    assert not failures, "Lighthouse found:\n" + "\n".join(failures)


PLANTED = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Planted</title></head>'
    '<body><main><input type="text"><script>document.title = "ran";</script></main></body></html>'
)


def test_lighthouse_finds_a_planted_fault_in_each_category(app, live_server, tmp_path):
    """The check above can fail: a field without a label costs accessibility, and an inline
    script (refused by the Content-Security-Policy, an error in the console) best practices."""
    command = lighthouse_or_skip()
    app.add_url_rule("/planted", "planted", lambda: PLANTED)
    chromium = Chromium(tmp_path / "chromium", "light")
    try:
        report = run_lighthouse(
            command, chromium.port, f"{live_server}/planted", None, tmp_path / "planted.json"
        )
    finally:
        chromium.stop()
    found = "\n".join(shortfalls(report))
    assert report["categories"]["accessibility"]["score"] < 1 and "label" in found, found
    assert report["categories"]["best-practices"]["score"] < 1, found
    assert "errors-in-console" in found, found
