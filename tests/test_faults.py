"""A full disk and a database out of reach: the member sees a clear page with their words.

The faults are real. A full disk is SQLite's own SQLITE_FULL, caused by capping the database
at its present size with ``PRAGMA max_page_count``; an unreachable database is a SQLite file
whose folder has been moved away, or a PostgreSQL URL whose port nothing listens on. These
tests build SQLite apps of their own, so they run the same whatever FORUM_TEST_DATABASE_URL
says (tests/test_fault_pg_restart.py restarts a real PostgreSQL server).
"""

import shutil
import sqlite3
from contextlib import contextmanager

import psycopg.errors
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from forum import create_app, faults
from forum.boards.services import seed_default_boards
from forum.extensions import db
from forum.models import Post, Thread
from tests.conftest import base_config
from tests.factories import PASSWORD, make_member, make_thread
from tests.stress.harness import free_port

FULL_HEADING = "We could not save your post — your text is kept below"
DOWN_HEADING = "The forum is not reachable for a moment — your text is kept below"
WORDS = "I finally said it out loud tonight and my hands are still shaking"


def sqlite_app(tmp_path, template, folder_name="data"):
    """An app on its own copy of the migrated SQLite database, in a folder of its own."""
    folder = tmp_path / folder_name
    folder.mkdir()
    shutil.copyfile(template, folder / "forum.db")
    app = create_app(base_config(tmp_path / "instance", f"sqlite:///{folder / 'forum.db'}"))
    with app.app_context():
        seed_default_boards()
        db.session.commit()
    return app, folder


def member_with_thread(app):
    """river_stone, logged in, and the id of a thread of theirs."""
    with app.app_context():
        author = make_member("river_stone")
        thread_id = make_thread(author).id
    client = app.test_client()
    login = client.post("/login", data={"handle": "river_stone", "password": PASSWORD})
    assert login.status_code == 302
    return client, thread_id


def counts(app, thread_id):
    """(posts in the thread, its reply_count, threads on the site), as stored."""
    with app.app_context():
        posts = db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread_id))
        replies = db.session.get(Thread, thread_id).reply_count
        threads = db.session.scalar(select(func.count(Thread.id)))
        db.session.remove()
        return posts, replies, threads


@contextmanager
def disk_full(app):
    """Cap the database at the pages it has now: any write that needs one more fails with
    SQLITE_FULL, as on a full disk. max_page_count is per connection, so every new
    connection gets it; leaving the block lifts the cap (the pool is emptied both times)."""
    with app.app_context():
        engine = db.engine
    engine.dispose()
    plain = sqlite3.connect(engine.url.database, isolation_level=None)
    try:
        plain.execute("VACUUM")  # no free pages left to write into
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = plain.execute("PRAGMA page_count").fetchone()[0]
    finally:
        plain.close()

    def cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={int(pages)}")

    event.listen(engine, "connect", cap)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", cap)
        engine.dispose()


def reply(client, thread_id, body, **extra):
    return client.post(f"/t/{thread_id}/reply", data={"body": body, **extra})


def test_full_disk_gives_507_with_the_reply_kept_no_half_rows_and_posting_works_after(
    tmp_path, migrated_sqlite_template
):
    app, _ = sqlite_app(tmp_path, migrated_sqlite_template)
    client, thread_id = member_with_thread(app)
    acknowledged = 0
    with disk_full(app):
        for attempt in range(40):
            body = f"{WORDS} (number {attempt})\n\n" + "Still here. " * 400
            response = reply(client, thread_id, body)
            if response.status_code != 302:
                break
            acknowledged += 1
        page = response.get_data(as_text=True)
        assert response.status_code == 507
        assert FULL_HEADING in page
        assert f"{WORDS} (number {attempt})" in page
        assert '<textarea id="kept-body" name="body"' in page
        assert f'action="/t/{thread_id}/reply"' in page
        assert "Try again" in page
        # No half-written reply: what is stored is exactly what was acknowledged.
        assert counts(app, thread_id) == (1 + acknowledged, acknowledged, 1)
        # Reading still works while the disk is full.
        assert f"{WORDS} (number {attempt})" not in client.get(f"/t/{thread_id}").get_data(
            as_text=True
        )
    with app.app_context():
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        db.session.remove()
    # Space again: the same words, sent from the page's form, are published once.
    again = reply(client, thread_id, body)
    assert again.status_code == 302
    shown = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert shown.count(f"{WORDS} (number {attempt})") == 1
    assert counts(app, thread_id) == (2 + acknowledged, 1 + acknowledged, 1)


def test_full_disk_keeps_a_new_threads_title_body_and_warning_but_saves_no_thread(
    tmp_path, migrated_sqlite_template
):
    app, _ = sqlite_app(tmp_path, migrated_sqlite_template)
    client, thread_id = member_with_thread(app)
    form = {
        "title": "Nobody at home knows",
        "body": f"{WORDS}\n\n" + "A long night. " * 600,
        "content_warning": "custom",
        "content_warning_text": "mentions of hospital",
        "anonymous": "y",
        "csrf_token": "not-to-be-shown-again",
    }
    with disk_full(app):
        response = client.post("/b/anxiety/new", data=form)
        page = response.get_data(as_text=True)
        assert response.status_code == 507
        assert FULL_HEADING in page
        for typed in ("Nobody at home knows", WORDS, "mentions of hospital"):
            assert typed in page
        assert '<input type="hidden" name="anonymous" value="y">' in page
        assert "not-to-be-shown-again" not in page
        assert counts(app, thread_id) == (1, 0, 1)
    response = client.post("/b/anxiety/new", data=form)
    assert response.status_code == 302
    assert "Nobody at home knows" in client.get(response.location).get_data(as_text=True)
    assert counts(app, thread_id)[2] == 2


def test_database_gone_gives_503_with_retry_after_and_the_text_then_works_again(
    tmp_path, migrated_sqlite_template
):
    app, folder = sqlite_app(tmp_path, migrated_sqlite_template)
    client, thread_id = member_with_thread(app)
    away = folder.with_name("moved-away")
    with app.app_context():
        db.engine.dispose()
    folder.rename(away)  # new connections cannot open the file: "unable to open database file"
    try:
        response = reply(client, thread_id, WORDS, parent_id="")
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
        assert DOWN_HEADING in page
        assert WORDS in page
        assert "Try again" in page
        # Pages a member reads, and the error pages, render without the database.
        home = client.get("/")
        assert home.status_code == 503
        assert "The forum is not reachable for a moment" in home.get_data(as_text=True)
        assert "Log out" not in home.get_data(as_text=True)  # the member could not be read
        missing = client.get("/no-such-page")
        assert missing.status_code == 404
        assert "find that page" in missing.get_data(as_text=True)
        lurker = app.test_client().get(f"/t/{thread_id}")  # the cookieless fast lane
        assert lurker.status_code == 503
        assert app.test_client().get("/healthz").status_code == 503
    finally:
        away.rename(folder)
    assert reply(client, thread_id, WORDS).status_code == 302
    assert client.get(f"/t/{thread_id}").get_data(as_text=True).count(WORDS) == 1
    assert counts(app, thread_id) == (2, 1, 1)


@pytest.fixture
def unreachable_postgres_app(tmp_path):
    """An app whose PostgreSQL URL points at a port on 127.0.0.1 that nothing listens on."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/forum"
    app = create_app(base_config(tmp_path / "instance", url))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a bug gets its 500 page, as in production

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug of ours")

    yield app
    with app.app_context():
        db.engine.dispose()


def test_unreachable_postgres_gives_503_pages_and_keeps_text_never_passwords(
    unreachable_postgres_app,
):
    client = unreachable_postgres_app.test_client()
    assert client.get("/").status_code == 503
    login = client.post("/login", data={"handle": "river_stone", "password": "my-secret-words"})
    assert login.status_code == 503
    assert "my-secret-words" not in login.get_data(as_text=True)
    # A member's session cookie: loading the member is what fails.
    with client.session_transaction() as session:
        session["_user_id"] = "some-session-token"
        session["_fresh"] = True
    response = client.post("/t/1/reply", data={"body": WORDS, "content_warning_text": "grief"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert DOWN_HEADING in page
    assert WORDS in page and "grief" in page
    for path, status, words in (
        ("/boom", 500, "Something went wrong on our side"),
        ("/no-such-page", 404, "find that page"),
        ("/b/depression", 503, "The forum is not reachable for a moment"),
    ):
        answer = client.get(path)
        assert answer.status_code == status, path
        assert words in answer.get_data(as_text=True), path
    assert client.get("/healthz").status_code == 503


def test_postgres_disk_full_is_recognised_as_full(unreachable_postgres_app):
    """PostgreSQL's disk_full (SQLSTATE 53100), raised inside a view, gives the 507 page."""
    app = unreachable_postgres_app

    @app.post("/full")
    def full():
        orig = psycopg.errors.DiskFull("could not extend file: No space left on device")
        raise OperationalError("INSERT INTO post ...", None, orig)

    response = app.test_client().post("/full", data={"body": WORDS, "password": "x-secret-x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 507
    assert FULL_HEADING in page and WORDS in page
    assert "x-secret-x" not in page
    assert faults.is_disk_full(psycopg.errors.DiskFull("anything"))
    assert not faults.is_disk_full(psycopg.errors.AdminShutdown("terminating connection"))


def test_a_member_page_is_normal_when_nothing_fails(tmp_path, migrated_sqlite_template):
    """The fault mode of the layout is off unless a fault set it: the header is the usual one."""
    app, _ = sqlite_app(tmp_path, migrated_sqlite_template)
    client, thread_id = member_with_thread(app)
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "Log out" in page and "river_stone" in page
