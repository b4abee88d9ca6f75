"""Every vector of both corpora posted through the real forms, then every page showing them
opened in headless Chromium, watched for script that runs (see tests/browser/hostile.py).

How each field is sent (every vector goes into a body or a reply, and into one of the four
short fields in turn: titles, content-warning texts, report details and search queries each
get a quarter of both corpora, which keeps the file to a few minutes):

* thread bodies and replies (the whole of both corpora, in 20,000-character posts): Playwright
  fills and submits the forms in Chromium, through the crisis and privacy steps when they
  come up, with the watch on those pages too;
* thread titles (150 characters), content-warning texts (60), report details (1,000), handles
  (every vector that is a valid handle) and a reply by each of those members: real HTTP form
  posts, with the CSRF token read from the form, because hundreds of threads and 200
  registrations through Playwright would take many minutes;
* search queries (200 characters): typed into the search form in Chromium for the first few,
  the rest opened as the URLs the form makes.

Then, in Chromium: the board index, every page of every board, every thread page (as a lurker,
the bodies' threads as their author and as a moderator too), the edit form of each body post,
permalinks, every search, every page of every moderation queue tab and the moderation log as a
moderator, every profile, the author's notifications and the Atom feeds. The test asserts no
hook call, no dialog, no script-src violation in any page and no script violation at
/csp-report, and that titles and a few vectors are on the page as text. A vector longer than a
field allows goes only into the fields that take it.
"""

import time

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, Post, Thread
from forum.search.terms import clean_query
from tests.browser import hostile
from tests.browser.conftest import log_in
from tests.factories import make_member

pytestmark = pytest.mark.browser

TITLE_MAX, WARNING_MAX, DETAILS_MAX, QUERY_MAX, BODY_MAX = 150, 60, 1_000, 200, 20_000
SHOWN_AS_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert('XSS');>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
]


@pytest.fixture
def app_config(app_config):
    # One author posts every batch: the new-member daily cap would stop them at ten.
    return {**app_config, "FORUM_NEW_MEMBER_DAILY_POSTS": 100_000}


def seed_people(app) -> dict:
    with app.app_context():
        make_member("steady_writer")
        make_member("kind_reader")
        make_member("calm_keeper", role="moderator")
        slugs = db.session.execute(select(Board.slug).order_by(Board.position)).scalars().all()
        db.session.remove()
    return {"boards": list(slugs)}


def through_the_steps(page) -> None:
    """Answer the crisis and privacy steps with "Post it", as someone who means to post."""
    for name in ("crisis_choice", "privacy_choice"):
        button = page.locator(f"button[name={name}][value=post]")
        if button.count():
            button.click()
            page.wait_for_load_state()


def post_bodies_in_the_browser(page, base, watch, slugs, bodies) -> list[int]:
    """Half the body batches as new threads, the other half as replies to them (nested
    under the opening post where the thread page offers it). Returns the thread ids."""
    threads, half = [], (len(bodies) + 1) // 2
    for number, body in enumerate(bodies[:half]):
        page.goto(f"{base}/b/{slugs[number % len(slugs)]}/new")
        page.fill("#title", f"Body batch {number}")
        page.fill("#body", body)
        page.get_by_role("button", name="Post thread").click()
        page.wait_for_load_state()
        watch.check_page(page)
        through_the_steps(page)
        assert "/t/" in page.url, (page.url, page.inner_text("main")[:500])
        threads.append(int(page.url.split("/t/")[1].split("/")[0]))
    for number, body in enumerate(bodies[half:]):
        thread_id = threads[number % len(threads)]
        page.goto(f"{base}/t/{thread_id}")
        page.fill("#body", body)
        page.get_by_role("button", name="Post reply").click()
        page.wait_for_load_state()
        watch.check_page(page)
        through_the_steps(page)
        assert f"/t/{thread_id}" in page.url, (page.url, page.inner_text("main")[:500])
    return threads


def post_titles_and_warnings(base, slugs, titles, warnings) -> list[int]:
    """One thread per title batch, each with a custom content warning (a batch of warnings);
    warnings left over go on replies."""
    poster = hostile.Poster(base)
    assert poster.login("steady_writer").status == 302
    poster.read_token(f"/b/{slugs[0]}/new")
    ids = []
    for number, title in enumerate(titles):
        form = {"title": title, "body": f"Opening words of thread {number}."}
        if number < len(warnings):
            form.update(content_warning="custom", content_warning_text=warnings[number])
        ids.append(
            hostile.thread_id_from(poster.send(f"/b/{slugs[number % len(slugs)]}/new", form))
        )
    for number, warning in enumerate(warnings[len(titles) :]):
        form = {"body": f"A reply with a warning ({number}).", "content_warning": "custom"}
        answer = poster.send(f"/t/{ids[0]}/reply", {**form, "content_warning_text": warning})
        assert answer.status == 302, answer.text[:1000]
    return ids


def send_reports(app, base, details: list[str], thread_ids: list[int]) -> None:
    with app.app_context():
        posts = db.session.execute(
            select(Thread.id, Post.id)
            .join(Post, Post.thread_id == Thread.id)
            .where(Post.parent_id.is_(None), Thread.id.in_(thread_ids))
        ).all()
        db.session.remove()
    first_posts = sorted(post_id for _, post_id in posts)
    assert len(first_posts) >= len(details)
    reporter = hostile.Poster(base)
    assert reporter.login("kind_reader").status == 302
    reporter.read_token(f"/p/{first_posts[0]}/report")
    for post_id, text in zip(first_posts, details, strict=False):
        answer = reporter.send(f"/p/{post_id}/report", {"reason": "other", "details": text})
        assert answer.status in (200, 302), (answer.status, answer.text[:1000])


def register_handles(base, handles: list[str], thread_id: int) -> list[str]:
    """Register each vector that is a valid handle; each new member replies in one thread,
    mentioning the one before. Returns the handles that the forum accepted."""
    accepted, previous = [], "steady_writer"
    for handle in handles:
        person = hostile.Poster(base)
        person.read_token("/register")
        password = "a long enough password 1"
        form = {"handle": handle, "password": password, "password_confirm": password}
        answer = person.send("/register", {**form, "accept_guidelines": "y"})
        if answer.status != 200 or "Log out" not in answer.text:
            assert answer.status == 400, (handle, answer.status)  # reserved or taken: refused
            continue
        accepted.append(handle)
        person.read_token(f"/t/{thread_id}")
        reply = person.send(f"/t/{thread_id}/reply", {"body": f"@{previous} me too, {handle}"})
        assert reply.status == 302, (handle, reply.status, reply.text[:500])
        previous = handle
    return accepted


def visit(page, watch, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, (url, response and response.status)
    watch.check_page(page)


def visit_with_next_pages(page, watch, url: str) -> int:
    """``url`` and every page its rel=next links lead to; returns how many pages."""
    count = 0
    while url:
        visit(page, watch, url)
        count += 1
        following = page.locator("a[rel=next]")
        url = following.first.get_attribute("href") if following.count() else None
        if url and url.startswith("/"):
            url = page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + url
    return count


def assert_title_shown(page, title: str) -> None:
    heading = hostile.one_line(page.locator("h1").first.inner_text())
    assert heading == hostile.one_line(title), (page.url, heading, title)
    assert hostile.one_line(title) in hostile.one_line(page.title())


def stored_titles(app, ids: list[int]) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(select(Thread.id, Thread.title).where(Thread.id.in_(ids))).all()
        db.session.remove()
    return dict(rows)


def test_the_hooks_and_the_report_endpoint_see_script_that_runs(app, live_server, browser):
    """The control: a call to each hooked function is recorded, and an inline script that a
    page injects is blocked, seen by the listener and reported to /csp-report."""
    watch = hostile.Watch()
    context = hostile.new_watched_context(browser, watch)
    try:
        page = context.new_page()
        visit(page, watch, f"{live_server}/")
        page.evaluate("alert('one'); confirm('two'); prompt('three'); print()")
        assert [call["name"] for call in page.evaluate("window.__hostileCalls")] == [
            "alert",
            "confirm",
            "prompt",
            "print",
        ]
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.__ran = true; alert('inline ran')";
                document.body.appendChild(script);
                const holder = document.createElement("div");
                holder.innerHTML = '<img src="/static/style.css" onerror="alert(2)">';
                document.body.appendChild(holder);
            }"""
        )
        page.wait_for_function("window.__cspViolations.length >= 2")
        assert page.evaluate("window.__ran") is None  # blocked, not run
        watch.check_page(page)
        directives = {v["directive"] for v in watch.script_violations}
        assert {"script-src-elem", "script-src-attr"} <= directives, watch.violations
        assert [c["name"] for c in watch.calls] == ["alert", "confirm", "prompt", "print"]
        reports = wait_for_reports(app, 2)
        assert {(r.directive, r.blocked) for r in reports} >= {
            ("script-src-elem", "inline"),
            ("script-src-attr", "inline"),
        }
    finally:
        context.close()


def wait_for_reports(app, at_least: int, seconds: float = 10.0) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        reports = list(app.extensions["csp_reports"])
        if len(reports) >= at_least:
            return reports
        time.sleep(0.05)
    return list(app.extensions["csp_reports"])


def test_no_vector_of_either_corpus_runs_on_any_page_that_shows_it(app, live_server, browser):
    started = time.monotonic()
    seeded = seed_people(app)
    slugs = seeded["boards"]
    vectors = hostile.corpus_vectors()
    bodies, _ = hostile.pack(vectors, BODY_MAX, separator="\n\n", single_line=False)
    # Every vector goes into a body or reply, and into one of the four short fields (in turn),
    # which keeps the file to a few minutes: each short field gets a quarter of both corpora.
    titles, _ = hostile.pack(vectors[0::4], TITLE_MAX)
    warnings, _ = hostile.pack(vectors[1::4], WARNING_MAX)
    details, _ = hostile.pack(vectors[2::4], DETAILS_MAX, separator="\n", single_line=False)
    queries, _ = hostile.pack(vectors[3::4], QUERY_MAX)
    handles = list({v.lower(): v for v in vectors if HANDLE.fullmatch(v)}.values())

    watch = hostile.Watch()
    writer_context = hostile.new_watched_context(browser, watch)
    keeper_context = hostile.new_watched_context(browser, watch)
    lurker_context = hostile.new_watched_context(browser, watch)
    try:
        writer = writer_context.new_page()
        log_in(writer, live_server, "steady_writer")
        body_threads = post_bodies_in_the_browser(writer, live_server, watch, slugs, bodies)
        title_threads = post_titles_and_warnings(live_server, slugs, titles, warnings)
        send_reports(app, live_server, details, title_threads)
        accepted = register_handles(live_server, handles, body_threads[0])
        assert len(accepted) > 100, accepted  # most event-handler names are valid handles
        posted = time.monotonic()

        lurker = lurker_context.new_page()
        visit(lurker, watch, f"{live_server}/")
        board_pages = sum(
            visit_with_next_pages(lurker, watch, f"{live_server}/b/{slug}") for slug in slugs
        )
        assert board_pages >= len(titles) // 30
        viewed = time.monotonic()
        titles_stored = stored_titles(app, title_threads)
        for thread_id in title_threads:
            visit(lurker, watch, f"{live_server}/t/{thread_id}")
            assert_title_shown(lurker, titles_stored[thread_id])
        for thread_id in body_threads:
            visit_with_next_pages(lurker, watch, f"{live_server}/t/{thread_id}")
        visit(lurker, watch, f"{live_server}/t/{body_threads[0]}")
        main_text = lurker.inner_text("main")
        for vector in SHOWN_AS_TEXT:  # all in the first body, so all on this page
            assert vector in bodies[0] and vector in main_text, vector

        writer_pages(app, writer, watch, live_server, body_threads)
        for number, handle in enumerate([*accepted, "steady_writer", "kind_reader"]):
            visit(lurker, watch, f"{live_server}/u/{handle}")
            if number % 20 == 0:
                assert handle in lurker.inner_text("main")
        for url in ["/feed.atom", *[f"/b/{slug}/feed.atom" for slug in slugs]]:
            visit(lurker, watch, f"{live_server}{url}")
        search_everything(lurker, watch, live_server, queries)

        keeper = keeper_context.new_page()
        log_in(keeper, live_server, "calm_keeper")
        moderator_pages(keeper, watch, live_server, body_threads, details)
    finally:
        for context in (writer_context, keeper_context, lurker_context):
            context.close()

    reported = [r for r in wait_for_reports(app, 1, seconds=1.0) if r.is_script]
    found = {
        "hook calls": watch.calls,
        "dialogs": watch.dialogs,
        "script violations": watch.script_violations,
        "reports at /csp-report": reported,
    }
    print(
        f"hostile content: {len(vectors)} vectors, {watch.visited} pages checked, "
        f"posting {posted - started:.0f}s, boards {viewed - posted:.0f}s, "
        f"all {time.monotonic() - started:.0f}s; "
        f"other violations: {[v for v in watch.violations if v not in watch.script_violations]}"
    )
    assert not any(found.values()), found


HANDLE = hostile.re.compile(r"[A-Za-z0-9_-]{3,24}")


def writer_pages(app, page, watch, base, body_threads) -> None:
    """What the author sees: the edit form of each body post (the text in a textarea), the
    permalinks, their notifications."""
    with app.app_context():
        post_ids = (
            db.session.execute(
                select(Post.id).where(Post.thread_id.in_(body_threads)).order_by(Post.id)
            )
            .scalars()
            .all()
        )
        db.session.remove()
    for post_id in post_ids:
        visit(page, watch, f"{base}/p/{post_id}")
    for post_id in post_ids[:20]:
        visit(page, watch, f"{base}/p/{post_id}/edit")
    visit(page, watch, f"{base}/notifications")
    visit(page, watch, f"{base}/u/steady_writer")


def search_everything(page, watch, base, queries) -> None:
    """Every query batch: the first few typed into the form, the rest as the URLs it makes."""
    from urllib.parse import urlencode

    for query in queries[:5]:
        visit(page, watch, f"{base}/search")
        page.fill("#search-q", query)
        typed = page.input_value("#search-q")  # as the browser holds it (maxlength)
        page.locator("#main").get_by_role("button", name="Search").click()
        page.wait_for_load_state()
        watch.check_page(page)
        assert page.input_value("#search-q") == clean_query(typed)
    for query in queries[5:]:
        visit(page, watch, f"{base}/search?{urlencode({'q': query})}")


def moderator_pages(page, watch, base, body_threads, details) -> None:
    for tab in ("reports", "held", "private", "appeals", "resolved"):
        visit_with_next_pages(page, watch, f"{base}/mod?tab={tab}")
    visit_with_next_pages(page, watch, f"{base}/mod/log")
    for thread_id in body_threads:
        visit(page, watch, f"{base}/t/{thread_id}")
