"""Engine set-up per backend, and the write-transaction rule for SQLite.

SQLite allows one writer at a time. WAL mode lets readers run beside the writer, and a busy
timeout makes a second writer wait; but a transaction that first reads and then writes (nearly
every forum action) cannot wait its way out when another writer committed in between: SQLite
answers "database is locked" at once. Taking the write lock when the transaction starts
(``BEGIN IMMEDIATE``) turns that failure into a short wait. Read-only requests keep a plain
``BEGIN`` so readers never queue behind writers.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_write_lock_override: ContextVar[bool | None] = ContextVar("write_lock_override", default=None)


def wants_write_lock() -> bool:
    """Whether a transaction starting now should take SQLite's write lock at once.

    Requests that may change data (POST and friends) and work outside any request (CLI, jobs,
    tests calling services) do; page views do not, unless ``write_transaction()`` asks for it.
    """
    override = _write_lock_override.get()
    if override is not None:
        return override
    if has_request_context():
        return request.method not in READ_ONLY_METHODS
    return True


@contextmanager
def write_transaction():
    """Make transactions begun inside this block take the write lock (for writes in a GET)."""
    token = _write_lock_override.set(True)
    try:
        yield
    finally:
        _write_lock_override.reset(token)


def engine_options(database_url: str, busy_timeout_ms: int) -> dict:
    """Engine options for Flask-SQLAlchemy, by backend.

    Bound values (post text, search words) never appear in error messages or logs.
    """
    if database_url.startswith("sqlite"):
        return {
            "connect_args": {"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            "hide_parameters": True,
        }
    return {"pool_pre_ping": True, "hide_parameters": True}


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Install WAL, busy timeout, foreign keys and the BEGIN rule on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself, instead of the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write_lock() else "BEGIN")
