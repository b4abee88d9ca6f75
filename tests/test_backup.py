"""`forum backup` and `forum restore`: a filled forum, backed up and restored into a fresh
database, reads the same to a lurker and keeps every post exactly; restoring over a forum
that has content needs --force.

SQLite always; PostgreSQL when a server answers (the test makes and drops its own databases).
"""

import os
import sqlite3
import stat
import threading
import uuid
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.boards.services import seed_default_boards
from forum.care.reactions import toggle_reaction
from forum.extensions import db
from forum.moderation.actions import hide_post
from forum.threads.services import edit_post
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_member, make_reply, make_thread
from tests.stress.harness import postgres_is_up

ADMIN_URL = (
    make_url(POSTGRES_URL).set(database="postgres").render_as_string(hide_password=False)
    if POSTGRES_URL
    else "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# Every table a person's words or standing live in, compared row by row after the restore.
COMPARED_TABLES = (
    "members",
    "threads",
    "posts",
    "post_revisions",
    "reactions",
    "moderation_events",
    "thread_aliases",
)


@contextmanager
def postgres_databases():
    """``new()`` makes an empty PostgreSQL database and returns its URL; all dropped after."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    names = []

    def new() -> str:
        name = f"forum_backup_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    try:
        yield new
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def sqlite_databases(folder):
    def new() -> str:
        return f"sqlite:///{folder / f'{uuid.uuid4().hex[:10]}.db'}"

    yield new


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not postgres_is_up(ADMIN_URL), reason=f"no PostgreSQL answers at {ADMIN_URL}"
            ),
        ),
    ]
)
def new_database(request, tmp_path):
    """A function giving the URL of a new, empty database of the backend under test."""
    maker = postgres_databases() if request.param == "postgresql" else sqlite_databases(tmp_path)
    with maker as new:
        yield new


@pytest.fixture
def instances(tmp_path):
    """``instance(url)`` builds a forum app on ``url``; every engine is disposed afterwards."""
    apps = []

    def instance(url):
        app = create_app(base_config(tmp_path / f"instance-{len(apps)}", url))
        apps.append(app)
        return app

    yield instance
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def fill(app) -> dict:
    """Threads, nested replies, anonymous posts, an edit, reactions and a hidden post."""
    with app.test_request_context():  # moderators' notices carry links
        upgrade()
        seed_default_boards()
        db.session.commit()
        writer = make_member("writer_one")
        replier = make_member("replier_two")
        moderator = make_member("keeper_three", role="moderator")
        first = make_thread(writer, "Mornings are hard", "Some **mornings** I can't get up.")
        top = make_reply(replier, first, "Same here. _Slowly_ it gets easier.")
        nested = make_reply(writer, first, "Thank you, that helps.", parent=top, anonymous=True)
        deeper = make_reply(replier, first, "You're welcome <3", parent=nested)
        hidden = make_reply(replier, first, "An unkind aside that gets hidden.", parent=top)
        second = make_thread(replier, "Talking to my GP", "How did you start?", anonymous=True)
        make_reply(writer, second, "I wrote it down first:\n\n1. sleep\n2. appetite")
        edit_post(top, "Same here. _Slowly_ it gets easier, **honestly**.")
        toggle_reaction(writer, top, "support")
        toggle_reaction(moderator, deeper, "thanks")
        hide_post(moderator, hidden, "Unkind")
        db.session.commit()
        return {"threads": [first.id, second.id], "hidden": "An unkind aside"}


def rows(app) -> dict[str, list[dict]]:
    with app.app_context():
        return {
            table: [
                dict(row)
                for row in db.session.execute(
                    text(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed names
                ).mappings()
            ]
            for table in COMPARED_TABLES
        }


def lurker_pages(app, thread_ids) -> dict[str, str]:
    lurker = app.test_client()
    urls = ["/", "/b/depression", *(f"/t/{thread_id}" for thread_id in thread_ids)]
    pages = {}
    for url in urls:
        response = lurker.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    return pages


def cli(app, *arguments):
    return app.test_cli_runner().invoke(args=list(arguments))


def test_backup_restores_into_a_fresh_forum_exactly(new_database, instances, tmp_path):
    original = instances(new_database())
    made = fill(original)
    backup_file = tmp_path / "backups" / "forum.backup"

    result = cli(original, "backup", str(backup_file))
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600  # members' words: owner only
    assert not list(backup_file.parent.glob("*.partial"))

    fresh = instances(new_database())
    result = cli(fresh, "restore", str(backup_file))
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output

    before, after = rows(original), rows(fresh)
    posts = after["posts"]
    assert len(posts) == 7
    assert any(post["is_anonymous"] for post in posts)
    assert any(post["state"] == "hidden" for post in posts)
    assert any(post["parent_id"] for post in posts)
    assert any("<strong>honestly</strong>" in post["body_html"] for post in posts)
    assert len(after["post_revisions"]) == 1 and len(after["reactions"]) == 2
    for table in COMPARED_TABLES:
        assert after[table] == before[table], table

    pages = lurker_pages(fresh, made["threads"])
    assert pages == lurker_pages(original, made["threads"])
    thread_page = pages[f"/t/{made['threads'][0]}"]
    assert "<strong>mornings</strong>" in thread_page
    assert "<strong>honestly</strong>" in thread_page
    assert "You&#39;re welcome &lt;3" in thread_page or "You're welcome &lt;3" in thread_page
    assert made["hidden"] not in thread_page
    assert "writer_one" in thread_page and "replier_two" in thread_page

    # The restored forum is a working forum: its members can log in and post.
    member = fresh.test_client()
    login = member.post(
        "/login", data={"handle": "writer_one", "password": "correct horse battery"}
    )
    assert login.status_code == 302
    reply = member.post(
        f"/t/{made['threads'][1]}/reply", data={"body": "Posted after the restore."}
    )
    assert reply.status_code == 302
    page = fresh.test_client().get(f"/t/{made['threads'][1]}").get_data(as_text=True)
    assert "Posted after the restore." in page


def test_restore_refuses_a_forum_with_content_unless_forced(new_database, instances, tmp_path):
    live = instances(new_database())
    made = fill(live)
    backup_file = tmp_path / "forum.backup"
    assert cli(live, "backup", str(backup_file)).exit_code == 0
    with live.app_context():
        writer = db.session.execute(text("SELECT id FROM members WHERE handle = 'writer_one'"))
        writer_id = writer.scalar_one()
    with live.app_context():
        from forum.models import Member, Thread

        make_reply(
            db.session.get(Member, writer_id),
            db.session.get(Thread, made["threads"][0]),
            "Written after the backup.",
        )

    refused = cli(live, "restore", str(backup_file))
    assert refused.exit_code != 0
    assert "not empty" in refused.output and "--force" in refused.output
    page = live.test_client().get(f"/t/{made['threads'][0]}").get_data(as_text=True)
    assert "Written after the backup." in page  # nothing was touched

    forced = cli(live, "restore", "--force", str(backup_file))
    assert forced.exit_code == 0, forced.output
    page = live.test_client().get(f"/t/{made['threads'][0]}").get_data(as_text=True)
    assert "Written after the backup." not in page
    assert "Some <strong>mornings</strong>" in page


def test_a_backup_of_the_wrong_kind_is_refused_clearly(instances, tmp_path):
    app = instances(f"sqlite:///{tmp_path / 'forum.db'}")
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    result = cli(app, "restore", str(not_a_backup))
    assert result.exit_code != 0
    assert "neither a SQLite backup nor a pg_dump" in result.output
    pg_like = tmp_path / "pg.backup"
    pg_like.write_bytes(b"PGDMP\x01\x0e\x00")
    result = cli(app, "restore", str(pg_like))
    assert result.exit_code != 0
    assert "is a postgresql backup, but the forum uses sqlite" in result.output


def test_a_freshly_initialised_forum_takes_a_restore_without_force(instances, tmp_path):
    original = instances(f"sqlite:///{tmp_path / 'old.db'}")
    made = fill(original)
    assert cli(original, "backup", str(tmp_path / "old.backup")).exit_code == 0
    new_box = instances(f"sqlite:///{tmp_path / 'new.db'}")
    initialised = cli(new_box, "init")
    assert initialised.exit_code == 0 and "default board(s) added" in initialised.output
    restored = cli(new_box, "restore", str(tmp_path / "old.backup"))
    assert restored.exit_code == 0, restored.output
    page = new_box.test_client().get(f"/t/{made['threads'][0]}").get_data(as_text=True)
    assert "Some <strong>mornings</strong>" in page


def test_a_backup_never_overwrites_the_live_database(instances, tmp_path):
    database = tmp_path / "live.db"
    app = instances(f"sqlite:///{database}")
    fill(app)
    for target in (database, tmp_path / "live.db-wal", tmp_path / "." / "live.db"):
        result = cli(app, "backup", str(target))
        assert result.exit_code != 0
        assert "the forum's own database" in result.output
    refused = cli(app, "restore", "--force", str(database))
    assert refused.exit_code != 0 and "not a backup of it" in refused.output
    page = app.test_client().get("/t/1").get_data(as_text=True)
    assert "Some <strong>mornings</strong>" in page


def test_sqlite_backup_while_the_forum_writes_is_a_consistent_snapshot(instances, tmp_path):
    """A backup taken while another connection keeps committing is whole and readable."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    app = instances(url)
    fill(app)
    stop = threading.Event()

    def keep_writing():
        writer = sqlite3.connect(tmp_path / "busy.db", timeout=30)
        count = 0
        while not stop.is_set() and count < 2000:
            writer.execute("UPDATE threads SET reply_count = reply_count WHERE id = 1")
            writer.commit()
            count += 1
        writer.close()

    busy = threading.Thread(target=keep_writing)
    busy.start()
    try:
        backups = [tmp_path / f"snapshot-{n}.backup" for n in range(3)]
        for backup_file in backups:
            result = cli(app, "backup", str(backup_file))
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        busy.join(timeout=30)
    for backup_file in backups:
        copy = sqlite3.connect(backup_file)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT count(*) FROM posts").fetchone()[0] == 7
        finally:
            copy.close()
    assert os.path.exists(tmp_path / "busy.db")
