"""Browser fixtures: the forum served on a real port, and headless Chromium driving it.

``live_server`` serves the per-test ``app`` (fresh migrated database, default boards) with CSRF
switched on, so the real forms and their hidden tokens are exercised. ``page`` is a fresh
browser context per test; any alert/confirm/prompt dialog fails the test (the site has none).
"""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BROWSER_DIR = Path(__file__).resolve().parent
# Fail fast: every page here is served locally (one small script, no third parties).
TIMEOUT_MS = 10_000


def log_in(page, base: str, handle: str) -> None:
    """Log ``handle`` in through the real login form and wait until the page says so."""
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page.goto(f"{base}/login")
    page.fill("#handle", handle)
    page.fill("#password", PASSWORD)
    # The login form's own button, whatever the page's language calls it.
    page.locator("main form:has(#password) button[type=submit]").click()
    # The account menu (closed, and inside the closed "Menu" on a phone) names who is in.
    expect(page.locator(".account-menu .handle")).to_have_text(handle)
    expect(page.locator("form[action$='/logout'] button")).to_have_count(1)


def pytest_collection_modifyitems(config, items):
    """Mark every test in tests/browser as ``browser`` (so ``-m "not browser"`` skips them)."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_server(app):
    """Serve ``app`` on 127.0.0.1 on a free port, with CSRF checks on; yields the base URL."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-forum", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright; skips when it cannot be started."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}, which does not exist")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.skip(f"browser tests need the playwright package: {error}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    except PlaywrightError as error:
        playwright.stop()
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        pytest.skip(f"could not launch Chromium at {CHROMIUM}: {first_line}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    """A page in a fresh context (no cookies carried between tests); dialogs fail the test."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    dialogs = []

    def record_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record_dialog)
    yield page
    context.close()
    if dialogs:
        pytest.fail(f"the page opened unexpected dialogs: {dialogs}")
