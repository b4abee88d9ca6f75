"""A real full disk: the SQLite database (and its WAL) on a 2 MB tmpfs that replies fill up.

Needs root (``mount -t tmpfs``); skipped, saying so, where mounting is not permitted. The
member who hits the full disk gets the 507 page with their words; the database stays sound
(``PRAGMA integrity_check``), holds exactly the replies that were acknowledged, and takes new
replies again once space is freed. tests/test_faults.py covers the same page with SQLite's
``max_page_count`` cap, everywhere.
"""

import shutil
import sqlite3
import subprocess
from contextlib import contextmanager

import pytest

from forum.extensions import db
from tests.test_faults import FULL_HEADING, counts, member_with_thread, reply, sqlite_app

TMPFS_SIZE = "2m"
ROOM_LEFT = 256 * 1024  # what the filler file leaves free on the tmpfs for replies


@contextmanager
def tmpfs(mount_point, size: str):
    """A tmpfs of ``size`` mounted at ``mount_point`` (made here), unmounted afterwards
    whatever happened; skips the test, saying why, where mounting is not permitted."""
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs at tmp_path/"disk"."""
    with tmpfs(tmp_path / "disk", TMPFS_SIZE) as mount_point:
        yield mount_point


def test_replies_fill_a_real_disk_then_507_integrity_ok_and_posting_works_after_freeing(
    tmp_path, small_disk, migrated_sqlite_template
):
    app, folder = sqlite_app(small_disk, migrated_sqlite_template)
    client, thread_id = member_with_thread(app)
    free = shutil.disk_usage(small_disk).free
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * max(0, free - ROOM_LEFT))
    acknowledged, response = 0, None
    for attempt in range(200):
        body = f"Reply {attempt}: I am still here, one more night.\n\n" + "Breathing. " * 500
        response = reply(client, thread_id, body)
        if response.status_code != 302:
            break
        acknowledged += 1
    assert response.status_code == 507, f"no full disk after {acknowledged} replies"
    page = response.get_data(as_text=True)
    assert FULL_HEADING in page
    assert f"Reply {attempt}: I am still here, one more night." in page
    with app.app_context():
        db.engine.dispose()
    check = sqlite3.connect(folder / "forum.db")
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()
    assert counts(app, thread_id) == (1 + acknowledged, acknowledged, 1)
    filler.unlink()
    assert reply(client, thread_id, body).status_code == 302
    shown = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert shown.count(f"Reply {attempt}: I am still here, one more night.") == 1
    assert counts(app, thread_id) == (2 + acknowledged, 1 + acknowledged, 1)
    with app.app_context():
        db.engine.dispose()
