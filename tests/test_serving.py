"""Production serving: the WSGI module, `forum serve` on gunicorn, fingerprinted static files,
trusted proxies, the PostgreSQL connection budget, and two servers behind nginx."""

import gzip
import importlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import Request, build_opener

import pytest

from forum import create_app
from forum.config import settings_from_environment
from forum.serve import ONE_YEAR, ConnectionBudgetError, check_connection_budget
from tests.conftest import POSTGRES_URL
from tests.stress import harness, two_servers

FORUM = Path(sys.executable).parent / "forum"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def fetch(url: str) -> tuple[int, dict, str]:
    with build_opener().open(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


def test_wsgi_module_exposes_an_app_that_answers_healthz(sqlite_env, monkeypatch):
    for name in ("FORUM_INSTANCE_PATH", "FORUM_DATABASE_URL", "FORUM_SECRET_KEY"):
        monkeypatch.setenv(name, sqlite_env[name])
    sys.modules.pop("forum.wsgi", None)
    wsgi = importlib.import_module("forum.wsgi")
    try:
        response = wsgi.app.test_client().get("/healthz")
        assert response.status_code == 200
        assert response.get_data(as_text=True).strip() == "ok"
    finally:
        sys.modules.pop("forum.wsgi", None)


def test_forum_serve_runs_gunicorn_and_logs_no_query_strings(sqlite_env, tmp_path):
    port = harness.free_port()
    env = {**sqlite_env, "FORUM_BIND": f"127.0.0.1:{port}", "FORUM_WORKERS": "1"}
    log = tmp_path / "serve.log"
    server = harness.start_forum(port, env, log)
    try:
        status, _, text = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Peer Support Forum" in text
        assert fetch(f"http://127.0.0.1:{port}/healthz")[2].strip() == "ok"
        assert fetch(f"http://127.0.0.1:{port}/search?q=secretword")[0] == 200
        deadline = time.monotonic() + 5
        while "GET /search" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        harness.stop(server)
    output = log.read_text()
    assert "gunicorn" in output.lower()
    assert '"GET /search HTTP/1.1" 200' in output
    assert '"GET /healthz HTTP/1.1" 200' in output
    assert "secretword" not in output
    assert "q=" not in output


def test_forum_serve_answers_gzip_to_a_client_that_accepts_it(sqlite_env, tmp_path):
    port = harness.free_port()
    env = {**sqlite_env, "FORUM_BIND": f"127.0.0.1:{port}", "FORUM_WORKERS": "1"}
    server = harness.start_forum(port, env, tmp_path / "serve.log")
    try:
        answers = {}
        for path in ("/", "/guidelines"):
            request = Request(f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": "gzip"})
            with build_opener().open(request, timeout=10) as response:
                answers[path] = (dict(response.headers), response.read())
        plain = fetch(f"http://127.0.0.1:{port}/")
    finally:
        harness.stop(server)
    for headers, body in answers.values():
        assert headers["Content-Encoding"] == "gzip"
        assert "Need help now?" in gzip.decompress(body).decode()
    assert "Content-Encoding" not in plain[1] and "Need help now?" in plain[2]


def test_serve_defaults_come_from_the_environment(monkeypatch, tmp_path):
    base = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"}
    defaults = settings_from_environment(base)
    assert (defaults["FORUM_WORKERS"], defaults["FORUM_THREADS"]) == (2, 1)
    assert defaults["FORUM_BIND"] == "127.0.0.1:8000"
    assert defaults["FORUM_TRUSTED_PROXIES"] == 0
    monkeypatch.setenv("FORUM_WORKERS", "5")
    monkeypatch.setenv("FORUM_THREADS", "3")
    monkeypatch.setenv("FORUM_BIND", "127.0.0.1:9001")
    monkeypatch.setenv("FORUM_TRUSTED_PROXIES", "1")
    chosen = settings_from_environment(base)
    assert (chosen["FORUM_WORKERS"], chosen["FORUM_THREADS"]) == (5, 3)
    assert chosen["FORUM_BIND"] == "127.0.0.1:9001"
    assert chosen["FORUM_TRUSTED_PROXIES"] == 1


def test_gunicorn_never_preloads_the_app_nor_logs_query_strings(app):
    from forum.serve import gunicorn_options

    options = gunicorn_options(app, "127.0.0.1:8000", workers=2, threads=4)
    assert options["preload_app"] is False
    assert options["worker_class"] == "gthread"
    assert "%(U)s" in options["access_log_format"]
    for atom in ("%(r)s", "%(q)s", "%(f)s"):
        assert atom not in options["access_log_format"]


# --- static files ------------------------------------------------------------------------------


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'href="(/static/style\.css\?v=([0-9a-f]{12}))"', page)
    assert found, "the stylesheet link has no ?v= fingerprint"
    assert re.search(r'src="/static/js/reactions\.js\?v=[0-9a-f]{12}"', page)
    response = client.get(found.group(1))
    assert response.status_code == 200
    assert response.cache_control.max_age == ONE_YEAR
    assert response.cache_control.public and not response.cache_control.no_cache
    response.close()


def test_static_fingerprint_is_the_file_content_hash(app):
    import hashlib

    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="style.css")
    content = (Path(app.static_folder) / "style.css").read_bytes()
    assert url.endswith("?v=" + hashlib.sha256(content).hexdigest()[:12])


def test_static_file_without_the_current_hash_is_not_cached_for_long(client):
    for url in ("/static/style.css", "/static/style.css?v=stale0000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert (response.cache_control.max_age or 0) < ONE_YEAR
        response.close()


# --- trusted proxies ---------------------------------------------------------------------------


def wrong_logins_from_spoofed_addresses(client) -> list[int]:
    return [
        client.post(
            "/login",
            data={"handle": f"someone_{n}", "password": "x"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(11)
    ]


@pytest.mark.parametrize("hops", [0, 1])
def test_forwarded_for_counts_only_behind_a_trusted_proxy(app_config, hops):
    app = create_app(
        {
            **app_config,
            "FORUM_TRUSTED_PROXIES": hops,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )

    @app.get("/_address")
    def address():
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    client = app.test_client()
    seen = client.get(
        "/_address", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    ).get_data(as_text=True)
    statuses = wrong_logins_from_spoofed_addresses(client)
    if hops:
        assert seen == "203.0.113.7 https"
        assert 429 not in statuses  # each address has its own count
    else:
        assert seen == "127.0.0.1 http"
        assert statuses[-1] == 429  # spoofing the header does not escape the limit


# --- PostgreSQL connection budget --------------------------------------------------------------


def test_too_many_workers_for_max_connections_is_a_clear_error(app_config, monkeypatch):
    from forum import serve

    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": POSTGRES_ADMIN_URL})
    monkeypatch.setattr(serve, "postgres_connection_limit", lambda _app: 20)
    check_connection_budget(app, workers=1)  # 15 pooled connections fit in 20
    with pytest.raises(ConnectionBudgetError, match=r"2 worker\(s\) x 15 .* = 30 .* only 20"):
        check_connection_budget(app, workers=2)


def test_an_unreachable_postgres_is_a_clear_error_too(app_config):
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": unreachable})
    with pytest.raises(ConnectionBudgetError, match="Could not ask PostgreSQL for max_connections"):
        check_connection_budget(app, workers=1)


@pytest.mark.skipif(bool(POSTGRES_URL), reason="the suite's own database is PostgreSQL")
def test_sqlite_needs_no_connection_budget(app):
    check_connection_budget(app, workers=500)


@pytest.mark.skipif(not harness.postgres_is_up(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_forum_serve_refuses_more_workers_than_postgres_accepts(tmp_path):
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_ADMIN_URL)
    with engine.connect() as connection:
        max_connections = int(connection.execute(text("SHOW max_connections")).scalar_one())
    engine.dispose()
    workers = max_connections // 15 + 1
    env = {
        **os.environ,
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "FORUM_DATABASE_URL": POSTGRES_ADMIN_URL,
        "FORUM_SECRET_KEY": "serving-test-key",
        "FORUM_WORKERS": str(workers),
        "FORUM_BIND": f"127.0.0.1:{harness.free_port()}",
    }
    done = subprocess.run(
        [str(FORUM), "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "max_connections" in done.stderr
    assert f"{workers} worker(s)" in done.stderr
    assert "Booting worker" not in done.stdout + done.stderr


# --- two servers behind nginx -------------------------------------------------------------------


@pytest.mark.skipif(not harness.postgres_is_up(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_two_servers_behind_nginx_lose_no_post_and_share_sessions_and_limits():
    try:
        result = two_servers.run(threads=3, replies=8, install_nginx=True)
    except harness.Unavailable as missing:
        pytest.skip(f"two-server test cannot run: {missing}")
    assert result.problems() == [], result.summary()
    assert result.stopped_after > 0 and len(result.sessions_kept) == 3
