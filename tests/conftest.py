"""Fixtures: an app on a fresh database per test, a client, a CLI runner, login helpers, and
the shared cast of people (``cast``).

The database is a temporary SQLite file by default. Set FORUM_TEST_DATABASE_URL to a
PostgreSQL URL to run the same suite there (each test starts from empty tables).
"""

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from forum import create_app
from forum.auth.services import find_member
from forum.extensions import db
from tests import factories
from tests.factories import PASSWORD

# Cheap argon2 settings keep the suite fast; test_auth checks the production defaults.
FAST_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
# Fixtures shared by the suite from their own modules.
pytest_plugins = ["tests.mailbox"]


def base_config(instance_path, database_url) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "INSTANCE_PATH": str(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH": FAST_HASH,
        "FORUM_NAME": "Test Forum",
        # Tests about trust levels and rate limits switch these back on themselves.
        "FORUM_NEW_MEMBER_HOLD": 0,
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    """A SQLite file upgraded once with the real migrations; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    app = create_app(base_config(folder, f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory):
    """Upgrade the PostgreSQL test database once per session with the real migrations."""
    if not POSTGRES_URL:
        return None
    app = create_app(base_config(tmp_path_factory.mktemp("pg-instance"), POSTGRES_URL))
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        upgrade()
        db.engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def sqlite_env(tmp_path, migrated_sqlite_template):
    """Environment of a forum process (``forum serve``, the CLI) on its own migrated SQLite
    file, for the tests that start one."""
    database = tmp_path / "forum.db"
    shutil.copyfile(migrated_sqlite_template, database)
    return {
        **os.environ,
        "FORUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "FORUM_DATABASE_URL": f"sqlite:///{database}",
        "FORUM_SECRET_KEY": "serving-test-key",
    }


@pytest.fixture
def database_url(tmp_path, request):
    if POSTGRES_URL:
        request.getfixturevalue("migrated_postgres")
        return POSTGRES_URL
    template = request.getfixturevalue("migrated_sqlite_template")
    path = tmp_path / "forum.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_config(tmp_path, database_url):
    """The config of the test app; tests may change it before asking for ``app``."""
    return base_config(tmp_path / "instance", database_url)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    _start_empty(app)
    yield app
    _close(app)


@contextmanager
def new_app(request):
    """Another forum on a fresh database: a new copy of the template on SQLite, the test
    database emptied on PostgreSQL. For tests that build two worlds and compare them."""
    folder = request.getfixturevalue("tmp_path_factory").mktemp("world")
    if POSTGRES_URL:
        request.getfixturevalue("migrated_postgres")
        url = POSTGRES_URL
    else:
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), folder / "forum.db")
        url = f"sqlite:///{folder / 'forum.db'}"
    app = create_app(base_config(folder / "instance", url))
    _start_empty(app)
    try:
        yield app
    finally:
        _close(app)


def _start_empty(app) -> None:
    from forum.boards.services import seed_default_boards

    with app.app_context():
        if POSTGRES_URL:
            _empty_all_tables()
        seed_default_boards()
        db.session.commit()


def _close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables():
    names = ", ".join(table.name for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    """An app context for service-level tests; yields the SQLAlchemy session."""
    with app.app_context():
        yield db.session


class Auth:
    """Register, log in and log out through the real forms."""

    def __init__(self, client):
        self.client = client

    def register(self, handle="river_stone", password=PASSWORD, follow=True):
        return self.client.post(
            "/register",
            data={
                "handle": handle,
                "password": password,
                "password_confirm": password,
                "accept_guidelines": "y",
            },
            follow_redirects=follow,
        )

    def login(self, handle="river_stone", password=PASSWORD, follow=True, **extra):
        return self.client.post(
            "/login",
            data={"handle": handle, "password": password, **extra},
            follow_redirects=follow,
        )

    def logout(self):
        return self.client.post("/logout", follow_redirects=True)


@pytest.fixture
def auth(client):
    return Auth(client)


class QueryCounter:
    """Counts the SQL statements the app runs while active."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Use as ``with count_queries() as counter: ...``; then read ``counter.count``."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def login_as(app):
    """``login_as("handle")`` gives a new client logged in as that member (one per person)."""

    def logged_in(handle: str, password: str = PASSWORD):
        client = app.test_client()
        response = client.post("/login", data={"handle": handle, "password": password})
        assert response.status_code == 302, f"{handle} could not log in"
        return client

    return logged_in


@pytest.fixture
def lurker(app):
    """A client of its own that never logs in."""
    return app.test_client()


@dataclass(frozen=True)
class Cast:
    """The people most tests are about, each by handle: ``member`` (author_one, who writes),
    ``other`` (reader_a, another member in good standing), ``moderator`` (keeper) and
    ``admin`` (head_admin). ``client(handle)`` is a new client logged in as one of them,
    ``lurker()`` a new client that never logs in, ``account(handle)`` the member re-read
    (inside an app context, to write with the factories)."""

    app: object
    member: str = factories.MEMBER
    other: str = factories.OTHER_MEMBER
    moderator: str = factories.MODERATOR
    admin: str = factories.ADMIN

    def client(self, handle: str, password: str = PASSWORD):
        client = self.app.test_client()
        response = client.post("/login", data={"handle": handle, "password": password})
        assert response.status_code == 302, f"{handle} could not log in"
        return client

    def lurker(self):
        return self.app.test_client()

    def account(self, handle: str):
        return find_member(handle)


@pytest.fixture
def cast(app) -> Cast:
    """The shared cast, made through the factories in a fresh forum: see ``Cast``."""
    with app.app_context():
        factories.make_cast()
    return Cast(app)
