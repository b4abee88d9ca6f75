"""Backups of the whole database, and restoring one (``forum backup`` / ``forum restore``).

SQLite is copied with its online backup API, page by page under SQLite's own locking, so a
backup taken while the forum is serving is a consistent snapshot (copying the file by hand
could catch a half-written transaction or miss the WAL). PostgreSQL is dumped with
``pg_dump`` in its custom format and restored with ``pg_restore --clean``.

A backup holds everything members wrote, their handles and password hashes: the file is
created readable by its owner only. The database password never appears on a command line
(other users of the machine could read it in the process list); ``pg_dump`` and
``pg_restore`` get it through ``PGPASSWORD``.

Restoring replaces the whole database. It refuses a database that already holds members or
posts unless asked with ``force``: restoring over a live forum by mistake would lose
everything written since the backup.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Tables whose rows mean "this database is in use"; `forum init` alone adds only boards and
# crisis resources, so a freshly initialised database may still be restored into.
CONTENT_TABLES = ("members", "threads", "posts")


# SQLite's companions of a WAL-mode database file.
SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the operator."""


class DatabaseNotEmpty(BackupError):
    """Restoring would overwrite members or posts, and ``force`` was not given."""


def backend(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a SQLAlchemy database URL."""
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def content_counts(engine) -> dict[str, int]:
    """Rows in each content table that exists (an empty database has none of them)."""
    existing = set(inspect(engine).get_table_names())
    counts = {}
    with engine.connect() as connection:
        for table in CONTENT_TABLES:
            if table in existing:
                counts[table] = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608 - fixed names
    return counts


def check_can_overwrite(engine, force: bool) -> None:
    """Raise DatabaseNotEmpty when the database holds members or posts and not ``force``."""
    if force:
        return
    found = {table: n for table, n in content_counts(engine).items() if n}
    if found:
        what = ", ".join(f"{n} {table}" for table, n in found.items())
        raise DatabaseNotEmpty(
            f"The database is not empty ({what}): restoring would replace all of it. "
            "Run `forum restore --force PATH` if that is what you want."
        )


def _private_file(path: Path) -> None:
    """Create (or truncate) ``path`` readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


def kind_of_file(path: Path) -> str:
    """``sqlite`` or ``postgresql`` from the first bytes of a backup file."""
    try:
        with path.open("rb") as handle:
            start = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"There is no backup file at {path}.") from None
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite backup nor a pg_dump custom-format file.")


# --- SQLite ----------------------------------------------------------------------------------


def backup_sqlite(url: str, target: Path) -> None:
    """Copy the live database into ``target`` with SQLite's online backup API.

    One step copies every page under one read transaction: in WAL mode writers carry on
    meanwhile, and the copy is the snapshot of that moment. (Copying in small steps would
    start again after every write and might never finish on a busy forum.) Written to a
    temporary name first and renamed, so ``target`` is never a half backup.
    """
    source_path = sqlite_path(url).resolve()
    if not source_path.exists():
        raise BackupError(f"There is no database at {source_path}.")
    live_files = {source_path, *(source_path.with_name(source_path.name + s) for s in SIDE_FILES)}
    if target.resolve() in live_files:
        raise BackupError(f"{target} is the forum's own database; choose another file.")
    partial = target.with_name(target.name + ".partial")
    _private_file(partial)
    source = sqlite3.connect(source_path, timeout=30)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"SQLite could not back up {source_path}: {error}") from None
    finally:
        source.close()
    os.replace(partial, target)


def restore_sqlite(url: str, source_file: Path) -> None:
    """Replace the configured database's contents with the backup's, page by page."""
    target_path = sqlite_path(url).resolve()
    if source_file.resolve() == target_path:
        raise BackupError(f"{source_file} is the forum's own database, not a backup of it.")
    source = sqlite3.connect(source_file)
    try:
        check = source.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{source_file} is damaged ({check}); nothing was restored.")
        target_path.parent.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"SQLite could not restore from {source_file}: {error}") from None
    finally:
        source.close()


# --- PostgreSQL ------------------------------------------------------------------------------


def conninfo_value(value) -> str:
    """A libpq connection-string value: single-quoted, with backslash and quote escaped."""
    escaped = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def libpq_arguments(url: str) -> tuple[list[str], dict]:
    """``--dbname`` conninfo (without the password) and the environment for pg_dump/pg_restore."""
    parsed = make_url(url)
    parts = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "dbname": parsed.database,
    }
    for name, value in parsed.query.items():  # e.g. sslmode=require
        parts[name] = value if isinstance(value, str) else value[-1]
    conninfo = " ".join(
        f"{name}={conninfo_value(value)}"
        for name, value in parts.items()
        if value not in (None, "")
    )
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return ["--dbname", conninfo], env


def _run_pg_tool(name: str, arguments: list[str], env: dict) -> None:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from the config
        [tool, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip() or result.returncode}")


def backup_postgresql(url: str, target: Path) -> None:
    """``pg_dump`` in custom format (compressed; pg_restore can pick and reorder from it)."""
    database, env = libpq_arguments(url)
    partial = target.with_name(target.name + ".partial")
    _private_file(partial)
    try:
        _run_pg_tool(
            "pg_dump",
            ["--format=custom", "--no-owner", "--no-privileges", "--file", str(partial), *database],
            env,
        )
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)


def restore_postgresql(url: str, source_file: Path) -> None:
    """``pg_restore --clean`` in one transaction: all of the backup, or nothing changed."""
    database, env = libpq_arguments(url)
    _run_pg_tool(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *database,
            str(source_file),
        ],
        env,
    )


# --- both ------------------------------------------------------------------------------------


def backup_database(engine, target: Path) -> Path:
    """Back up the database ``engine`` points at into ``target``; returns its full path."""
    url = engine.url.render_as_string(hide_password=False)
    target = Path(target).resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup file's name.")
    if backend(url) == "sqlite":
        backup_sqlite(url, target)
    else:
        backup_postgresql(url, target)
    return target


def restore_database(engine, source_file: Path, *, force: bool = False) -> None:
    """Replace the database ``engine`` points at with the backup in ``source_file``."""
    url = engine.url.render_as_string(hide_password=False)
    source_file = Path(source_file).resolve()
    kind, wanted = kind_of_file(source_file), backend(url)
    if kind != wanted:
        raise BackupError(f"{source_file} is a {kind} backup, but the forum uses {wanted}.")
    check_can_overwrite(engine, force)
    engine.dispose()  # no pooled connection may hold the old database open
    if wanted == "sqlite":
        restore_sqlite(url, source_file)
    else:
        restore_postgresql(url, source_file)
    engine.dispose()
