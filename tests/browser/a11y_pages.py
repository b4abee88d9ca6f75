"""Every page type of the forum, seeded once, for the accessibility and reflow tests.

``seed`` writes a small forum (nested replies four levels deep, a content-warned post, a very
long unbroken word and URL, a long handle, a report in the queue, a notification) and returns
the paths. ``visit`` opens one page kind as the right person and, for the forms, submits them
with errors so the error state is what gets checked; ``each_page`` walks them all.
"""

from itertools import groupby

from forum.care.private import open_private_thread
from forum.extensions import db
from forum.moderation.reports import report_post
from forum.safety_plan.services import save_plan
from forum.threads.services import reply_to_thread
from forum.warnings import ContentWarning
from tests.browser.conftest import TIMEOUT_MS, log_in
from tests.factories import board, make_member, make_reply, make_thread

LONG_WORD = "a" * 300
LONG_URL = "https://example.org/" + "very-long-path-segment" * 15
LONG_HANDLE = "W" * 24  # the longest handle allowed, in wide letters


def seed(app) -> dict:
    """Write the forum every page kind is checked against; return the paths it needs."""
    with app.app_context():
        poster = make_member("first_poster")
        member = make_member("caring_reader")
        long_one = make_member(LONG_HANDLE)
        make_member("calm_keeper", role="moderator")
        make_member("head_keeper", role="admin")
        thread = make_thread(poster, title="Feeling low tonight", body=f"{LONG_WORD} {LONG_URL}")
        parent = None
        for depth in range(4):
            parent = make_reply(member if depth % 2 else long_one, thread, f"Depth {depth}", parent)
        warned = reply_to_thread(
            poster, thread, "Hard words behind a warning.", False, warning=ContentWarning("grief")
        )
        db.session.commit()
        report_post(member, warned, "spam", "")
        make_reply(poster, thread, "A reply that notifies.", parent=parent)
        save_plan(
            member, {"helpers": ["My sister: call or text 07700 900123"], "coping": [LONG_WORD]}
        )
        db.session.commit()
        private = open_private_thread(member, board(), "A hard week", "Can we talk?")
        db.session.commit()
        seeded = {
            "thread": f"/t/{thread.id}/{thread.slug}",
            "reply": f"/t/{thread.id}/reply",
            "report": f"/p/{warned.id}/report",
            "profile": f"/u/{LONG_HANDLE}",
            "private": f"/t/{private.id}/{private.slug}",
        }
        db.session.remove()
    return seeded


def submit_with_errors(page, button: str) -> None:
    """Send the page's main form as it is (browser checks off) so the server shows errors."""
    page.evaluate("for (const f of document.querySelectorAll('form')) f.noValidate = true")
    page.locator("main").get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


# (name, who is logged in, path or seeded key, button to submit with errors)
PAGES = [
    ("board index", None, "/", None),
    ("board", None, "/b/depression", None),
    ("thread", None, "thread", None),
    ("login with an error", None, "/login", "Log in"),
    ("register with errors", None, "/register", "Register"),
    ("crisis", None, "/crisis", None),
    ("search results", None, "/search?q=Depth", None),
    ("profile", None, "profile", None),
    ("safety plan template", None, "/safety-plan", None),
    ("thread as a member", "caring_reader", "thread", None),
    ("new thread with errors", "caring_reader", "/b/depression/new", "Post thread"),
    ("reply with errors", "caring_reader", "reply", None),
    ("settings", "caring_reader", "/settings", None),
    ("drafts", "caring_reader", "/drafts", None),
    ("safety plan", "caring_reader", "/safety-plan", None),
    ("safety plan form", "caring_reader", "/safety-plan/edit", None),
    ("safety plan print view", "caring_reader", "/safety-plan/print", None),
    ("notifications", LONG_HANDLE, "/notifications", None),
    ("report form", "caring_reader", "report", None),
    ("thread as a moderator", "calm_keeper", "thread", None),
    ("private conversations", "caring_reader", "/private", None),
    ("private conversation", "caring_reader", "private", None),
    ("moderation queue", "calm_keeper", "/mod", None),
    ("thread as a moderator", "calm_keeper", "thread", None),
    ("private conversation as a moderator", "calm_keeper", "private", None),
    ("profile as a moderator", "calm_keeper", "profile", None),
    ("moderation log", "calm_keeper", "/mod/log", None),
    ("admin boards", "head_keeper", "/boards", None),
    ("admin crisis resources", "head_keeper", "/crisis", None),
    ("admin moderators", "head_keeper", "/moderators", None),
]


def visit(page, base: str, seeded: dict, who, where: str, button) -> None:
    """Open one page kind (as ``who``) and submit it with errors when ``button`` is given."""
    path = seeded.get(where, where)
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status < 500, f"{path} answered {response}"
    if button:
        submit_with_errors(page, button)
    elif where in ("reply", "report"):
        # The reply and report forms are checked after an empty submission too.
        page.evaluate("for (const f of document.querySelectorAll('form')) f.noValidate = true")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()


def each_page(browser, base: str, seeded: dict, **context_options):
    """Every entry of PAGES in turn: one browser context (made with ``context_options``) per
    person, logged in once. Yields (name, where, page) with ``page`` showing that entry."""
    for who, pages in groupby(PAGES, key=lambda entry: entry[1]):
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            if who:
                log_in(page, base, who)
            for name, _, where, button in pages:
                visit(page, base, seeded, who, where, button)
                yield name, where, page
        finally:
            context.close()
