"""Several writers at once: on SQLite, write transactions take the lock at BEGIN, so none fail;
the many-writers test runs on PostgreSQL too."""

import sqlite3
import threading

import pytest
from sqlalchemy import func, select, text

from forum.database import write_transaction
from forum.extensions import db
from forum.models import Post, Thread
from tests.conftest import POSTGRES_URL
from tests.factories import PASSWORD, make_member, make_thread

sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite locking behaviour")


def database_file(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


def other_writer_can_start(app) -> bool:
    """Whether a second connection could take the write lock right now (no waiting)."""
    other = sqlite3.connect(database_file(app), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@sqlite_only
def test_a_post_request_transaction_holds_the_write_lock_from_its_first_read(app):
    with app.test_request_context("/t/1/reply", method="POST"):
        db.session.execute(text("SELECT 1"))
        assert not other_writer_can_start(app)
        db.session.rollback()
    with app.app_context():
        assert other_writer_can_start(app)


@sqlite_only
def test_page_views_read_without_taking_the_write_lock(app):
    with app.test_request_context("/", method="GET"):
        db.session.execute(text("SELECT 1"))
        assert other_writer_can_start(app)
        db.session.rollback()


@sqlite_only
def test_a_page_view_can_ask_for_a_write_transaction(app):
    with app.test_request_context("/", method="GET"):
        with write_transaction():
            db.session.execute(text("SELECT 1"))
            assert not other_writer_can_start(app)
        db.session.rollback()


def test_many_members_replying_at_once_all_land_in_the_tree(app):
    writers, replies_each = 6, 8
    with app.app_context():
        members = [make_member(f"writer_{n}") for n in range(writers)]
        thread_id = make_thread(members[0]).id
        handles = [member.handle for member in members]
    errors: list[str] = []
    barrier = threading.Barrier(writers)

    def write(handle):
        client = app.test_client()
        client.post("/login", data={"handle": handle, "password": PASSWORD})
        barrier.wait()
        for n in range(replies_each):
            try:
                response = client.post(f"/t/{thread_id}/reply", data={"body": f"{handle} {n}"})
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                errors.append(f"{handle} {n}: {error}")
                continue
            if not response.headers.get("Location", "").startswith("/p/"):
                errors.append(f"{handle} {n}: {response.status_code}")

    workers = [threading.Thread(target=write, args=(handle,)) for handle in handles]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    with app.app_context():
        paths = db.session.execute(select(Post.path).filter_by(thread_id=thread_id)).scalars().all()
        assert len(paths) == len(set(paths)) == writers * replies_each + 1
        thread = db.session.get(Thread, thread_id)
        assert thread.reply_count == writers * replies_each
        total = db.session.execute(select(func.count(Post.id))).scalar()
        assert thread.board.post_count == total
