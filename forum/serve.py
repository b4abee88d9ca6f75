"""Production serving: gunicorn for ``forum serve``, trusted proxies and long-cached static files.

Gunicorn forks its workers before any of them builds the app (no ``preload_app``), so every
worker creates its own database engine; the app the ``forum`` command built in the master is
only used for the start-up checks, and its engines are disposed before the fork.
"""

import hashlib
from pathlib import Path

from flask import Flask, request
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

ONE_YEAR = 365 * 24 * 3600

# Like gunicorn's default, but the path without its query string (%(U)s, never %(r)s or %(q)s),
# no referrer and no client address (%(h)s): what someone searched for or read, and where
# from, must not end up in a log file.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# SQLAlchemy's QueuePool defaults: each worker process may open pool_size + max_overflow.
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 10


class ConnectionBudgetError(Exception):
    """The workers could open more PostgreSQL connections than the server accepts."""


def init_app(app: Flask) -> None:
    """Trust ``FORUM_TRUSTED_PROXIES`` proxy hops, and fingerprint and long-cache static files."""
    hops = int(app.config.get("FORUM_TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only then is X-Forwarded-For believed: otherwise anyone could pick their own address
        # and escape the per-address rate limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    init_static_fingerprints(app)


def file_fingerprints(folder: Path) -> dict[str, str]:
    """A short content hash of every file under ``folder``, by its ``/``-separated name."""
    versions = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            versions[path.relative_to(folder).as_posix()] = digest
    return versions


def init_static_fingerprints(app: Flask) -> None:
    """``url_for('static', filename=...)`` gains ``?v=<hash>``, computed once at start; a
    request carrying the current hash is cached for a year (a changed file gets a new URL)."""
    folder = Path(app.static_folder) if app.static_folder else None
    versions = file_fingerprints(folder) if folder and folder.is_dir() else {}
    app.extensions["forum_static_versions"] = versions

    @app.url_defaults
    def add_static_version(endpoint, values):
        if endpoint == "static" and "v" not in values:
            version = versions.get(values.get("filename", ""))
            if version:
                values["v"] = version

    plain_static = app.view_functions.get("static")
    if plain_static is None:
        return

    def static_file(**kwargs):
        response = plain_static(**kwargs)
        version = request.args.get("v")
        if version and version == versions.get(kwargs.get("filename", "")):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response

    app.view_functions["static"] = static_file


def connections_per_worker(app: Flask) -> int:
    """The most connections one worker process's pool may open."""
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    size = options.get("pool_size", DEFAULT_POOL_SIZE)
    overflow = options.get("max_overflow", DEFAULT_MAX_OVERFLOW)
    return size + max(overflow, 0)


def postgres_connection_limit(app: Flask) -> int:
    """Connections PostgreSQL grants to ordinary roles: max_connections minus the reserved."""
    from forum.extensions import db

    with app.app_context():
        try:
            with db.engine.connect() as connection:
                limit = int(connection.execute(text("SHOW max_connections")).scalar_one())
                reserved = connection.execute(text("SHOW superuser_reserved_connections"))
                return limit - int(reserved.scalar_one())
        finally:
            db.engine.dispose()


def check_connection_budget(app: Flask, workers: int) -> None:
    """On PostgreSQL, refuse to start when every worker's full pool would not fit."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    per_worker = connections_per_worker(app)
    needed = per_worker * workers
    try:
        limit = postgres_connection_limit(app)
    except OperationalError as error:
        raise ConnectionBudgetError(
            f"Could not ask PostgreSQL for max_connections: {error.orig or error}"
        ) from None
    if needed >= limit:
        raise ConnectionBudgetError(
            f"{workers} worker(s) x {per_worker} pooled connection(s) = {needed} PostgreSQL "
            f"connections, but the server accepts only {limit} (max_connections minus "
            "superuser_reserved_connections), and other servers, cron jobs and psql need some "
            "too. Lower FORUM_WORKERS, or raise max_connections in postgresql.conf."
        )


def gunicorn_options(app: Flask, bind: str, workers: int, threads: int) -> dict:
    """Gunicorn settings for the forum: logs to stdout/stderr without query strings."""
    from forum.extensions import db

    def post_fork(_server, _worker):
        # Belt and braces: a connection the master opened must never be shared by two
        # processes, so the child forgets (without closing) anything the master's pool holds.
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)

    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        # Only Werkzeug's ProxyFix, ruled by FORUM_TRUSTED_PROXIES, reads forwarded headers.
        "secure_scheme_headers": {},
        "proc_name": "forum",
        # Gunicorn 25+ opens a control socket at one fixed path per user, which two servers on
        # one machine would fight over; the forum does not use it.
        "control_socket_disable": True,
        "post_fork": post_fork,
    }


def serve(app: Flask, bind: str, workers: int, threads: int) -> None:
    """Check the database can take the workers, then run gunicorn until it is stopped."""
    from gunicorn.app.base import BaseApplication

    from forum.extensions import db

    check_connection_budget(app, workers)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    options = gunicorn_options(app, bind, workers, threads)

    class ForumServer(BaseApplication):
        def load_config(self):
            for name, value in options.items():
                if name in self.cfg.settings:  # settings this gunicorn version knows
                    self.cfg.set(name, value)

        def load(self):
            # Runs in each worker after the fork: its own app, its own engine.
            from forum.compression import GzipMiddleware
            from forum.log_filters import install_request_log_filter
            from forum.wsgi import app as worker_app

            # The access log's paths lose thread slugs (titles) like the dev server's.
            install_request_log_filter("gunicorn.access")

            # Text goes out gzipped to clients that accept it (forum/compression.py).
            return GzipMiddleware(worker_app)

    ForumServer().run()
