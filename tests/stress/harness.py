"""Pieces for runs against real servers: PostgreSQL databases, `forum serve`, nginx, and a
cookie-keeping HTTP client that sends forms with their CSRF token from its own 127.0.0.x."""

import functools
import http.client
import os
import random
import re
import shutil
import socket
import string
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import (
    HTTPCookieProcessor,
    HTTPHandler,
    HTTPRedirectHandler,
    Request,
    build_opener,
)

POSTGRES_URL = os.environ.get(
    "FORUM_STRESS_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = "redis://127.0.0.1:6379/12"
PASSWORD = "correct horse battery"
REQUEST_TIMEOUT = 15
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Unavailable(Exception):
    """Something the run needs (nginx, PostgreSQL, Redis) is not on this machine."""


def tag() -> str:
    """A random word that makes each posted body unique. Letters only: a run of digits can
    look like a phone number, and the privacy nudge then (rightly) asks before publishing,
    answering 200 with its step page instead of the redirect the runs count."""
    return "".join(random.choices(string.ascii_lowercase, k=12))  # noqa: S311 - not security


# --- what the run needs ------------------------------------------------------------------------


def find_nginx(install: bool = False) -> str:
    """The nginx binary; with ``install``, apt-get installs Debian's nginx when root."""
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx"]):
            subprocess.run(command, env=quiet, capture_output=True, timeout=600, check=False)
        for candidate in NGINX_CANDIDATES:
            found = shutil.which(candidate)
            if found:
                return found
    raise Unavailable("nginx is not installed (Debian: apt-get install nginx, or make stress)")


def postgres_is_up(url: str = POSTGRES_URL) -> bool:
    """Whether a PostgreSQL server answers at ``url`` within two seconds."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        return False
    finally:
        engine.dispose()


def check_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - any failure means "no Redis here"
        raise Unavailable(f"no Redis at {REDIS_URL}: {error}") from None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def throwaway_database():
    """A new, empty PostgreSQL database; dropped afterwards (connections and all)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"forum_stress_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        raise Unavailable(f"cannot create a PostgreSQL database: {error}") from None
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def forget_redis_counters(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    for key in client.scan_iter(match=f"*{prefix}*", count=500):
        client.delete(key)


# --- processes ---------------------------------------------------------------------------------


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_for(url: str, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            with build_opener().open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, HTTPError):
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer {url} within {seconds:.0f} s")


def start_forum(port: int, env: dict, log: Path) -> subprocess.Popen:
    """``forum serve`` on 127.0.0.1:port; its output (gunicorn's logs) goes to ``log``."""
    forum = Path(sys.executable).parent / "forum"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(forum), "serve", "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, f"forum serve on {port}")
    except BaseException:
        stop(process)
        raise
    return process


NGINX_CONF = """\
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream forum {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://forum;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            # Which server answered, so the run can stop the one that made a session.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def start_nginx(nginx: str, folder: Path, upstream_ports: list[int]) -> tuple:
    """nginx in the foreground, round-robin over the forum servers; returns (process, port)."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=60s;" for p in upstream_ports
    )
    # A root master would hand requests to "nobody", who cannot enter a private tmp folder.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, folder=folder, servers=servers, port=port))
    process = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "nginx.stderr").open("wb"),
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, "nginx")
    except BaseException:
        stop(process)
        raise
    return process, port


# --- an HTTP client with cookies, CSRF tokens and its own source address -----------------------


class KeepRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


class FromAddress(HTTPHandler):
    """Connect from a chosen 127.0.0.x, so each person has their own address behind nginx."""

    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.address, 0))
        return self.do_open(connection, req)


@dataclass
class Answer:
    status: int
    headers: dict
    text: str

    @property
    def upstream(self) -> str:
        return self.headers.get("X-Upstream", "")


class Browser:
    """One person: a cookie jar, a source address, forms sent with their CSRF token."""

    def __init__(self, base_url: str, address: str = "127.0.0.1"):
        self.base_url = base_url
        self.opener = build_opener(
            HTTPCookieProcessor(CookieJar()), KeepRedirects(), FromAddress(address)
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urlencode(data).encode() if data is not None else None
        url = self.base_url + path  # always http://127.0.0.1:<port>
        req = Request(url, data=body, headers=headers or {})  # noqa: S310
        try:
            return self._send(req)
        except http.client.HTTPException as error:
            # An answer cut off halfway (IncompleteRead, a bad status line): a killed worker,
            # like a refused connection. Callers retry on OSError.
            raise ConnectionError(f"answer cut off: {error!r}") from error

    def _send(self, req: Request) -> Answer:
        try:
            with self.opener.open(req, timeout=REQUEST_TIMEOUT) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except HTTPError as error:  # redirects (kept, not followed) and error statuses
            return Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))

    def token(self, path: str) -> str:
        page = self.request(path)
        found = TOKEN.search(page.text)
        if not found:
            raise RuntimeError(f"no CSRF token on {path} (status {page.status})")
        return found.group(1)

    def login(self, handle: str, password: str = PASSWORD, headers: dict | None = None) -> Answer:
        token = self.token("/login")
        form = {"handle": handle, "password": password, "csrf_token": token}
        return self.request("/login", form, headers=headers)

    def logged_in(self) -> bool:
        return "Log out" in self.request("/").text
