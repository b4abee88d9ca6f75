"""A real full disk under PostgreSQL: the posts table on a tablespace on a 4 MB tmpfs.

A private cluster (tests/stress/pg_restart.py's PrivateCluster, never the shared server on
5432) keeps its catalog and WAL on the ordinary disk; only the ``posts`` table (with its TOAST
table) moves to the small tablespace, which a filler file then nearly fills. Replies go in
until PostgreSQL cannot extend the table ("could not extend file", SQLSTATE 53100): the member
gets the 507 page with their words, the database holds exactly the acknowledged replies (no
half-saved post, counters untouched), and replies go in again once the filler is removed.

Needs root (``mount -t tmpfs``) and PostgreSQL's binaries; skipped, saying which, without.
"""

import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.boards.services import seed_default_boards
from forum.extensions import db
from tests.conftest import base_config
from tests.stress.harness import Unavailable
from tests.stress.pg_restart import PrivateCluster
from tests.test_fault_disk_full import tmpfs
from tests.test_faults import FULL_HEADING, counts, member_with_thread, reply

TMPFS_SIZE = "4m"
ROOM_LEFT = 192 * 1024  # what the filler leaves free for replies: a few dozen 8 KB pages


def start_cluster(base: Path, cleanup: ExitStack) -> PrivateCluster:
    try:
        cluster = PrivateCluster(base / "pg")
    except Unavailable as missing:
        pytest.skip(str(missing))
    cluster.pg_ctl("start")
    cleanup.callback(cluster.stop)
    return cluster


def run_sql(url: str, *statements: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def forum_on_a_small_tablespace():
    """(app, the tablespace's mount point): a migrated forum whose posts live on the tmpfs."""
    with ExitStack() as cleanup:
        base = Path(tempfile.mkdtemp(prefix="forum-pgfull-"))
        cleanup.callback(shutil.rmtree, base, True)
        base.chmod(0o711)  # the postgres user must reach the tablespace inside
        disk = base / "disk"
        cleanup.enter_context(tmpfs(disk, TMPFS_SIZE))  # unmounted after the cluster stops
        shutil.chown(disk, "postgres")
        disk.chmod(0o700)
        cluster = start_cluster(base, cleanup)
        run_sql(cluster.url, "CREATE DATABASE forum", f"CREATE TABLESPACE small LOCATION '{disk}'")
        url = make_url(cluster.url).set(database="forum").render_as_string(hide_password=False)
        app = create_app(base_config(base / "instance", url))
        with app.test_request_context():
            upgrade()
            seed_default_boards()
            db.session.commit()
        cleanup.callback(close_connections, app)
        yield app, disk


def close_connections(app) -> None:
    with app.app_context():
        db.engine.dispose()


def test_replies_fill_a_real_postgresql_disk_then_507_nothing_half_saved_and_posting_resumes(
    forum_on_a_small_tablespace,
):
    app, disk = forum_on_a_small_tablespace
    client, thread_id = member_with_thread(app)
    with app.app_context():
        db.session.execute(text("ALTER TABLE posts SET TABLESPACE small"))
        db.session.commit()
        db.engine.dispose()
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(0, shutil.disk_usage(disk).free - ROOM_LEFT))
    acknowledged, response, attempt = 0, None, 0
    for attempt in range(400):
        words = f"Reply {attempt}: the evenings are long, but I am still here."
        # Distinct words in every line, so PostgreSQL cannot compress the body to nothing.
        body = words + "\n\n" + " ".join(f"step-{attempt}-{n}" for n in range(300))
        response = reply(client, thread_id, body)
        if response.status_code != 302:
            break
        acknowledged += 1
    assert response.status_code == 507, f"the disk never filled after {acknowledged} replies"
    assert acknowledged > 0, "the first reply already found the disk full"
    page = response.get_data(as_text=True)
    assert FULL_HEADING in page
    assert words in page
    assert counts(app, thread_id) == (1 + acknowledged, acknowledged, 1)
    filler.unlink()
    again = reply(client, thread_id, body)
    assert again.status_code == 302
    shown = client.get(again.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert shown.count(words) == 1
    assert counts(app, thread_id) == (2 + acknowledged, 1 + acknowledged, 1)
