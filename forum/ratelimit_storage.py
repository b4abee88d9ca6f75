"""Rate-limit counters in a SQLite file: one count for every worker process of a machine.

Without FORUM_REDIS_URL, Flask-Limiter's memory storage would count in each process on its
own, so `forum serve` with two workers allowed twice the documented login attempts. This is a
``limits`` storage (the library behind Flask-Limiter) over one small table in the instance
folder: a hit is one atomic UPSERT, so two workers counting at once never lose a count. It
serves the fixed-window strategy (the forum's): a counter starts at its first hit and is
forgotten when its window ends. Expired rows are deleted (with SQLite's secure_delete) by
the first hit a minute after the last clean-up, so the file keeps only short-lived counters
(their keys name addresses and handles, as in memory or Redis).
"""

import os
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from limits.storage import Storage

SCHEME = "forum-sqlite"
PURGE_EVERY_SECONDS = 60
SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID
"""
# A counter whose window has ended starts again at this hit.
INCREMENT = """
INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :expires_at)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counters.expires_at <= :now THEN :amount
                 ELSE counters.count + :amount END,
    expires_at = CASE WHEN counters.expires_at <= :now THEN :expires_at
                      ELSE counters.expires_at END
RETURNING count
"""


def storage_uri(path: Path) -> str:
    """The RATELIMIT_STORAGE_URI of a counters file at ``path`` (absolute)."""
    return f"{SCHEME}://{Path(path).resolve()}"


class SQLiteStorage(Storage):
    """Fixed-window counters shared through a SQLite file (one connection per thread)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path(urlsplit(uri).path)
        self.timeout = float(options.get("timeout", 10))
        self.local = threading.local()
        self.purged_at = 0.0

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened in this process (never one inherited by a fork)."""
        if getattr(self.local, "pid", None) != os.getpid():
            self.local.connection, self.local.pid = self._connect(), os.getpid()
        return self.local.connection

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Owner-only, like the database and the secret key: the keys name addresses.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute(SCHEMA)
        return connection

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        values = {"key": key, "amount": amount, "now": now, "expires_at": now + expiry}
        count = self.connection().execute(INCREMENT, values).fetchone()[0]
        if now - self.purged_at > PURGE_EVERY_SECONDS:
            self.purged_at = now
            self.connection().execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return count

    def _current(self, key: str, now: float) -> tuple[int, float] | None:
        """(count, expires_at) of a counter whose window is still open."""
        query = "SELECT count, expires_at FROM counters WHERE key = ? AND expires_at > ?"
        return self.connection().execute(query, (key, now)).fetchone()

    def get(self, key: str) -> int:
        current = self._current(key, time.time())
        return current[0] if current else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        current = self._current(key, now)
        return current[1] if current else now

    def check(self) -> bool:
        try:
            self.connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self.connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self.connection().execute("DELETE FROM counters WHERE key = ?", (key,))
