"""Nothing personal in the logs: a whole journey through a real server, every log line kept.

A member registers, fails to log in, logs in, posts, replies; another reports; a moderator
hides the reply; the member changes their password and asks for a moderator page. Passwords,
post text, report details, the moderator's reason and the client's address are canaries that
must appear in no log line (root logger at DEBUG, werkzeug's request lines, anything written
to stdout/stderr). The security events themselves must be there, with ids and no text.

The second test does the same for `forum serve`: gunicorn's access and error logs.
"""

import logging
import os
import re
import threading
import time

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from forum.extensions import db
from forum.log_filters import without_query_strings
from forum.models import Member, Post
from tests.factories import PASSWORD, make_member
from tests.stress import harness

CANARY_PASSWORD = "canary-pass-Q7xk2 lighthouse"
CANARY_NEW_PASSWORD = "canary-newpass-Z3pw8 harbour"
CANARY_WRONG = "canary-wrong-M4ty9 ferry"
CANARY_IN_HANDLE_BOX = "canaryhandlebox5R2w"  # a password typed into the handle box
CANARY_TITLE = "Canary title Kf93 about sleep"
CANARY_BODY = "Canary body Pq58: the nights are long lately."
CANARY_REPLY = "Canary reply Wz41: you are not alone in this."
CANARY_ANONYMOUS = "Canary anonymous reply Tb62: I feel the same."
CANARY_DETAILS = "Canary report details Hn26"
CANARY_REASON = "Canary moderator reason Lc77"
CANARY_RECOVERED_PASSWORD = "canary-recovered-Vd83 meadow"
CLIENT_ADDRESS = "127.0.0.7"
RECOVERY_CODE = re.compile(
    r"<code>([2-9A-HJKMNP-Z]{5}(?:-[2-9A-HJKMNP-Z]{5}){3})</code>"
)  # the journey connects from here; no log may name it
CANARIES = [
    CANARY_PASSWORD,
    CANARY_NEW_PASSWORD,
    CANARY_RECOVERED_PASSWORD,
    CANARY_WRONG,
    CANARY_IN_HANDLE_BOX,
    CANARY_TITLE,
    CANARY_BODY,
    CANARY_REPLY,
    CANARY_ANONYMOUS,
    CANARY_DETAILS,
    CANARY_REASON,
    CLIENT_ADDRESS,
]


def canary_pieces(canary: str) -> list[str]:
    """The canary and its distinctive words (a log line might carry a fragment)."""
    return [canary, *(word for word in re.split(r"[\s:]+", canary) if re.search(r"\d", word))]


def assert_no_canaries(output: str, *more: str) -> None:
    output = output.lower()  # a slug is the title in lower case
    for canary in [*CANARIES, *more]:
        for piece in canary_pieces(canary):
            assert piece.lower() not in output, f"{piece!r} is in the log"


@pytest.fixture
def served(app):
    """``app`` on werkzeug's real server (CSRF on), as `forum run` serves it."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


ANY_TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"'
    r'|type="hidden" name="csrf_token" value="([^"]+)"'
)


def post_form(browser, page: str, data: dict, action: str | None = None):
    """Send a form with the CSRF token of ``page`` (to ``action``, default the same path)."""
    found = ANY_TOKEN.search(browser.request(page).text)
    assert found, f"no CSRF token on {page}"
    token = found.group(1) or found.group(2)
    return browser.request(action or page, {**data, "csrf_token": token})


def test_a_whole_journey_logs_events_but_nothing_personal(app, served, caplog, capfd):
    caplog.set_level(logging.DEBUG)  # the root logger: everything any library logs
    with app.app_context():
        make_member("reporter_two")
        moderator_id = make_member("keeper_mod", role="moderator").id

    member = harness.Browser(served, CLIENT_ADDRESS)
    registered = post_form(
        member,
        "/register",
        {
            "handle": "canary_member",
            "password": CANARY_PASSWORD,
            "password_confirm": CANARY_PASSWORD,
            "accept_guidelines": "y",
        },
    )
    assert registered.status == 200 and "canary_member" in registered.text
    recovery_code = RECOVERY_CODE.search(registered.text).group(1)  # a secret too
    assert post_form(member, "/", {}, action="/logout").status == 302
    with app.app_context():
        member_id = db.session.execute(
            select(Member.id).filter_by(handle="canary_member")
        ).scalar_one()

    wrong = member.login("canary_member", CANARY_WRONG)
    assert wrong.status == 400 and "do not match" in wrong.text
    nobody = member.login(CANARY_IN_HANDLE_BOX, CANARY_PASSWORD)
    assert nobody.status == 400 and "do not match" in nobody.text
    assert member.login("canary_member", CANARY_PASSWORD).status == 302

    started = post_form(member, "/b/depression/new", {"title": CANARY_TITLE, "body": CANARY_BODY})
    assert started.status == 302, started.text
    thread_path = started.headers["Location"]
    thread_id = int(re.search(r"/t/(\d+)", thread_path).group(1))
    replied = post_form(member, thread_path, {"body": CANARY_REPLY}, f"/t/{thread_id}/reply")
    assert replied.status == 302, replied.text
    anonymous = post_form(
        member, thread_path, {"body": CANARY_ANONYMOUS, "anonymous": "y"}, f"/t/{thread_id}/reply"
    )
    assert anonymous.status == 302, anonymous.text
    with app.app_context():
        reply_id = db.session.execute(
            select(Post.id).filter_by(body_source=CANARY_REPLY)
        ).scalar_one()
        anonymous_id = db.session.execute(
            select(Post.id).filter_by(body_source=CANARY_ANONYMOUS, is_anonymous=True)
        ).scalar_one()

    reporter = harness.Browser(served, CLIENT_ADDRESS)
    assert reporter.login("reporter_two", PASSWORD).status == 302
    reported = post_form(
        reporter, f"/p/{reply_id}/report", {"reason": "harassment", "details": CANARY_DETAILS}
    )
    assert reported.status == 302, reported.text

    moderator = harness.Browser(served, CLIENT_ADDRESS)
    assert moderator.login("keeper_mod", PASSWORD).status == 302
    hidden = post_form(moderator, "/mod", {"reason": CANARY_REASON}, f"/mod/posts/{reply_id}/hide")
    assert hidden.status == 302, hidden.text
    removed = post_form(
        moderator, "/mod", {"reason": CANARY_REASON}, f"/mod/posts/{anonymous_id}/remove"
    )
    assert removed.status == 302, removed.text
    lurker_page = harness.Browser(served, CLIENT_ADDRESS).request(thread_path).text
    assert CANARY_BODY in lurker_page and CANARY_REPLY not in lurker_page

    changed = post_form(
        member,
        "/settings/password",
        {
            "current_password": CANARY_PASSWORD,
            "password": CANARY_NEW_PASSWORD,
            "password_confirm": CANARY_NEW_PASSWORD,
        },
    )
    assert changed.status == 302, changed.text
    forbidden = member.request("/mod")
    assert forbidden.status == 403 and "do that here" in forbidden.text

    stranger = harness.Browser(served, CLIENT_ADDRESS)
    recovery_form = {"handle": "canary_member", "password": CANARY_RECOVERED_PASSWORD}
    recovery_form["password_confirm"] = CANARY_RECOVERED_PASSWORD
    refused = post_form(stranger, "/recover", {**recovery_form, "recovery_code": CANARY_WRONG})
    assert refused.status == 400 and "do not match" in refused.text
    recovered = post_form(stranger, "/recover", {**recovery_form, "recovery_code": recovery_code})
    assert recovered.status == 200 and "Your new password is set" in recovered.text

    records = caplog.records
    output = "\n".join(
        f"{record.name} {record.levelname} {record.getMessage()}" for record in records
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", output)  # werkzeug colours its request lines
    captured = capfd.readouterr()
    assert_no_canaries(output + captured.out + captured.err, recovery_code)

    # Proof the capture sees the request log and the application's own lines.
    assert '"GET /mod HTTP/1.1" 403' in output
    assert f'"POST /t/{thread_id}/reply HTTP/1.1" 302' in output  # sub-pages keep their name
    assert f'"GET /t/{thread_id} HTTP/1.1" 200' in output  # the slug (the title) is cut
    assert f"login ok member={member_id} handle=canary_member" in output
    assert f"login failed member={member_id}" in output
    assert "login failed member=unknown-handle" in output
    assert f"password changed member={member_id}" in output
    assert "account recovery failed" in output
    assert f"account recovered member={member_id} handle=canary_member" in output
    assert f"forbidden member={member_id} handle=canary_member endpoint=moderation.queue" in output
    assert re.search(
        rf"moderation action=hide actor={moderator_id} event=\d+ post={reply_id} "
        rf"thread={thread_id} subject={member_id}",
        output,
    ), output
    # Who wrote the anonymous reply stays in the audit log, never in the log file.
    assert re.search(
        rf"moderation action=remove actor={moderator_id} event=\d+ post={anonymous_id} "
        rf"thread={thread_id} subject=anonymous$",
        output,
        re.MULTILINE,
    ), output
    # SQL statements' rows would carry post text: not logged even with the root at DEBUG.
    assert not [record for record in records if record.name.startswith("sqlalchemy")]


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        (
            '10.1.2.3 - - [x] "GET /t/12/i-cant-sleep HTTP/1.1" 200 -',
            '- - - [x] "GET /t/12 HTTP/1.1" 200 -',
        ),
        (
            '::1 - - [x] "GET /search?q=grief HTTP/1.1" 200 -',
            '- - - [x] "GET /search HTTP/1.1" 200 -',
        ),
        ('"POST /t/12/reply?x=1 HTTP/1.1" 302', '"POST /t/12/reply HTTP/1.1" 302'),
        ("GET /t/12/feed.atom", "GET /t/12/feed.atom"),
        # Werkzeug logs the URL decoded: quotes inside a search must not end the cut.
        (
            '- - - [x] "GET /search?q="my+sister\'s"+funeral HTTP/1.1" 200 -',
            '- - - [x] "GET /search HTTP/1.1" 200 -',
        ),
        ("GET /t/12/replying-to-grief/", "GET /t/12/"),
    ],
)
def test_request_log_lines_lose_addresses_queries_and_titles(line, logged):
    assert without_query_strings(line) == logged


@pytest.mark.skipif(
    bool(os.environ.get("FORUM_TEST_DATABASE_URL")), reason="serves its own SQLite file"
)
def test_gunicorn_logs_events_but_no_address_password_or_query(tmp_path, sqlite_env):
    port = harness.free_port()
    env = {**sqlite_env, "FORUM_WORKERS": "1", "FORUM_RATELIMITS": "off"}
    forum = harness.Path(harness.sys.executable).parent / "forum"
    harness.subprocess.run(
        [str(forum), "users", "create", "night_owl", "--password-stdin"],
        input=f"{CANARY_PASSWORD}\n".encode(),
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    log = tmp_path / "serve.log"
    server = harness.start_forum(port, env, log)
    try:
        browser = harness.Browser(f"http://127.0.0.1:{port}", CLIENT_ADDRESS)
        assert browser.login("night_owl", CANARY_WRONG).status == 400
        assert browser.login("night_owl", CANARY_PASSWORD).status == 302
        assert browser.request("/mod").status == 403
        assert browser.request("/t/999/canary-title-kf93-about-sleep").status == 404
        assert browser.request(f"/search?q={CANARY_IN_HANDLE_BOX}").status == 200
        deadline = time.monotonic() + 5
        while "GET /search" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        harness.stop(server)
    output = log.read_text()
    assert_no_canaries(output)
    assert '"POST /login HTTP/1.1" 400' in output and '"GET /mod HTTP/1.1" 403' in output
    assert '"GET /t/999 HTTP/1.1" 404' in output
    assert "login failed member=1" in output
    assert "login ok member=1 handle=night_owl" in output
    assert "forbidden member=1 handle=night_owl endpoint=moderation.queue GET /mod" in output
