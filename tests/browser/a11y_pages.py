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


def submit_with_errors(page, button: str):
    """Send the page's main form as it is (browser checks off) so the server shows errors;
    returns the response that answered it."""
    page.evaluate("for (const f of document.querySelectorAll('form')) f.noValidate = true")
    with page.expect_navigation() as answered:
        named = page.locator("main").get_by_role("button", name=button, exact=True)
        # In another language the button has other words: the main form's first button then.
        (named if named.count() else page.locator("main form button[type=submit]").first).click()
    page.wait_for_load_state()
    return answered.value


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
    ("admin: boards and moderators", "head_keeper", "/admin", None),
    ("admin crisis resources", "head_keeper", "/admin/crisis", None),
    ("admin board form", "head_keeper", "/admin/boards/depression/edit", None),
]


def visit(page, base: str, seeded: dict, who, where: str, button):
    """Open one page kind (as ``who``) and submit it with errors when ``button`` is given;
    returns the response of what the page now shows."""
    path = seeded.get(where, where)
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status < 500, f"{path} answered {response}"
    if button:
        response = submit_with_errors(page, button)
    elif where in ("reply", "report"):
        # The reply and report forms are checked after an empty submission too.
        page.evaluate("for (const f of document.querySelectorAll('form')) f.noValidate = true")
        with page.expect_navigation() as answered:
            page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        response = answered.value
    return response


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


# --- every page type, as every person who can see it --------------------------------------

# The people of the seeded forum, by role (None: a lurker, not logged in).
ROLES = {
    "lurker": None,
    "member": "caring_reader",
    "moderator": "calm_keeper",
    "admin": "head_keeper",
}
RANK = {"lurker": 0, "member": 1, "moderator": 2, "admin": 3}
# (name, path or seeded key, button to submit with errors, who sees it: the lowest role that
# does, or "lurker only" for pages a member is sent away from)
PAGE_TYPES = [
    ("board index", "/", None, "lurker"),
    ("board", "/b/depression", None, "lurker"),
    ("thread", "thread", None, "lurker"),
    ("guidelines", "/guidelines", None, "lurker"),
    ("crisis", "/crisis", None, "lurker"),
    ("search results", "/search?q=Depth", None, "lurker"),
    ("profile", "profile", None, "lurker"),
    ("safety plan", "/safety-plan", None, "lurker"),
    ("log in with an error", "/login", "Log in", "lurker only"),
    ("register with errors", "/register", "Register", "lurker only"),
    ("new thread with errors", "/b/depression/new", "Post thread", "member"),
    ("reply with errors", "reply", None, "member"),
    ("report form with an error", "report", None, "member"),
    ("settings", "/settings", None, "member"),
    ("email settings", "/settings/email", None, "member"),
    ("delete account", "/settings/delete", None, "member"),
    ("drafts", "/drafts", None, "member"),
    ("notifications", "/notifications", None, "member"),
    ("private conversations", "/private", None, "member"),
    ("new private conversation", "/private/new", None, "member"),
    ("safety plan form", "/safety-plan/edit", None, "member"),
    ("private conversation", "private", None, "moderator"),
    ("waiting for a reply", "/waiting", None, "moderator"),
    ("moderation queue", "/mod", None, "moderator"),
    ("moderation log", "/mod/log", None, "moderator"),
    ("admin", "/admin", None, "admin"),
    ("admin crisis resources", "/admin/crisis", None, "admin"),
    ("admin board form", "/admin/boards/depression/edit", None, "admin"),
]


def pages_for(role: str) -> list[tuple[str, str, str | None]]:
    """The page types ``role`` can see: (name, where, button)."""
    shown = []
    for name, where, button, lowest in PAGE_TYPES:
        if (role == "lurker") if lowest == "lurker only" else RANK[role] >= RANK[lowest]:
            shown.append((name, where, button))
    return shown


def each_role_page(browser, base: str, seeded: dict, roles=tuple(ROLES), **context_options):
    """Every page type as every person of ``roles`` who can see it: one browser context per
    person, logged in once. Yields (role, name, page, response); the context records its
    console errors and failed requests in ``page.problems``, emptied before each visit."""
    for role in roles:
        who = ROLES[role]
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.problems = []
        page.on(
            "console",
            lambda message, page=page: (
                message.type == "error" and page.problems.append(f"console error: {message.text}")
            ),
        )
        page.on(
            "requestfailed",
            lambda request, page=page: page.problems.append(
                f"request failed: {request.url} ({request.failure})"
            ),
        )
        page.on(
            "response",
            lambda response, page=page: (
                response.status >= 400
                and response.request.resource_type != "document"
                and page.problems.append(f"{response.status} for {response.url}")
            ),
        )
        try:
            if who:
                log_in(page, base, who)
            for name, where, button in pages_for(role):
                page.problems.clear()
                response = visit(page, base, seeded, who, where, button)
                yield role, name, page, response
        finally:
            context.close()
