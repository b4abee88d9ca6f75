"""Rate limits: login by address and by handle, registrations, posts and reports; past a
limit the 429 page explains, and a post's text is kept."""

import os
import re
import subprocess
import sys
import time
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest

from forum.config import settings_from_environment
from tests.conftest import POSTGRES_URL
from tests.factories import make_member, make_thread

SLOW_DOWN = "Please slow down for a moment"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


# --- Password guessing: throttled, without a lock-out button ---------------------------------

OWNER_PASSWORD = "the owner's own long password"


@pytest.fixture
def behind_proxy(app_config):
    """One trusted proxy: each test request says where it comes from in X-Forwarded-For."""
    app_config["FORUM_TRUSTED_PROXIES"] = 1
    return app_config


def login_from(client, address: str, handle: str, password: str):
    return client.post(
        "/login",
        data={"handle": handle, "password": password},
        headers={"X-Forwarded-For": address},
    )


def logged_in_page(client, address: str) -> str:
    return client.get("/", headers={"X-Forwarded-For": address}).get_data(as_text=True)


def guesses_until_refused(app, address: str, handle: str, most: int = 50) -> list[int]:
    """Wrong passwords for ``handle`` from ``address`` until the first 429 (included)."""
    attacker = app.test_client()
    statuses = []
    while 429 not in statuses and len(statuses) < most:
        statuses.append(login_from(attacker, address, handle, f"guess {len(statuses)}").status_code)
    return statuses


@pytest.fixture
def target(app):
    """The member under attack, with a recovery code; returns it."""
    from forum.account.recovery import issue_recovery_code
    from forum.extensions import db

    with app.app_context():
        member = make_member("target_one", password=OWNER_PASSWORD)
        code = issue_recovery_code(member)
        db.session.commit()
    return code


def test_a_guesser_from_one_address_is_refused_after_the_limit(behind_proxy, app, target):
    statuses = guesses_until_refused(app, "198.51.100.7", "target_one")
    assert statuses == [400] * 10 + [429]  # FORUM_LIMIT_LOGIN: 10 per minute
    blocked = login_from(app.test_client(), "198.51.100.7", "target_one", OWNER_PASSWORD)
    assert blocked.status_code == 429
    assert SLOW_DOWN in blocked.get_data(as_text=True)


def test_a_guesser_cannot_lock_the_owner_out_from_another_address(behind_proxy, app, target):
    assert guesses_until_refused(app, "198.51.100.7", "target_one")[-1] == 429
    owner = app.test_client()
    answer = login_from(owner, "192.0.2.44", "TARGET_ONE", OWNER_PASSWORD)
    assert answer.status_code == 302
    assert "Log out" in logged_in_page(owner, "192.0.2.44")


def test_a_guesser_rotating_addresses_is_slowed_per_handle_and_the_owner_still_gets_in(
    behind_proxy, app, target
):
    # 100 wrong passwords (FORUM_LIMIT_LOGIN_HANDLE, a day) from 25 addresses, 4 each:
    # no address is near its own limit, and none is refused.
    first_wave = [
        login_from(app.test_client(), f"203.0.113.{n // 4}", "target_one", f"guess {n}")
        for n in range(100)
    ]
    assert [answer.status_code for answer in first_wave] == [400] * 100
    # Now the handle is under attack: a new address gets 3 wrong passwords for it, not 10.
    for address in ("203.0.113.200", "203.0.113.201"):
        assert guesses_until_refused(app, address, "target_one") == [400, 400, 400, 429]
    # An address that guessed before the attack began is held to 3 more as well.
    assert guesses_until_refused(app, "203.0.113.0", "target_one") == [400, 400, 400, 429]
    # The owner, from an address of their own, logs in with the right password...
    owner = app.test_client()
    assert login_from(owner, "192.0.2.44", "target_one", OWNER_PASSWORD).status_code == 302
    assert "Log out" in logged_in_page(owner, "192.0.2.44")
    # ...or, from another, with the recovery code.
    recovering = app.test_client()
    recovered = recovering.post(
        "/recover",
        data={
            "handle": "target_one",
            "recovery_code": target,
            "password": "a brand new long password",
            "password_confirm": "a brand new long password",
        },
        headers={"X-Forwarded-For": "192.0.2.45"},
    )
    assert recovered.status_code == 200
    assert "Keep this recovery code somewhere safe" in recovered.get_data(as_text=True)
    assert "Log out" in logged_in_page(recovering, "192.0.2.45")
    # Other members are untouched by the attack on this one.
    with app.app_context():
        make_member("bystander")
    others = [login_from(app.test_client(), "203.0.113.202", "bystander", "x") for _ in range(5)]
    assert [answer.status_code for answer in others] == [400] * 5


def test_only_failed_attempts_count_against_a_handle(behind_proxy, app, target):
    app.config["FORUM_LIMIT_LOGIN_HANDLE"] = "10 per day"
    for n in range(9):
        owner = app.test_client()
        assert login_from(owner, f"192.0.2.{n}", "target_one", OWNER_PASSWORD).status_code == 302
    # Nine logins are not an attack: a new address still has the usual ten tries.
    assert guesses_until_refused(app, "198.51.100.7", "target_one") == [400] * 10 + [429]
    # Ten failures are: the next address gets three.
    assert guesses_until_refused(app, "198.51.100.8", "target_one") == [400] * 3 + [429]


def test_login_attempts_from_one_address_are_limited_across_handles(app, client):
    for attempt in range(10):
        client.post("/login", data={"handle": f"someone_{attempt}", "password": "x"})
    assert client.post("/login", data={"handle": "another", "password": "x"}).status_code == 429


def test_registrations_from_one_address_are_limited(app, client):
    for n in range(5):
        response = client.post("/register", data={"handle": f"newbie_{n}", "password": "short"})
        assert response.status_code == 400
    assert client.post("/register", data={"handle": "newbie_x"}).status_code == 429


def test_posting_too_fast_keeps_the_text(app, login_as):
    with app.app_context():
        make_member("fast_writer")
        thread_id = make_thread(make_member("opener")).id
    writer = login_as("fast_writer")
    for n in range(6):
        assert writer.post(f"/t/{thread_id}/reply", data={"body": f"reply {n}"}).status_code == 302
    blocked = writer.post(
        f"/t/{thread_id}/reply", data={"body": "The reply I must not lose", "anonymous": "y"}
    )
    text = blocked.get_data(as_text=True)
    assert blocked.status_code == 429
    assert "The reply I must not lose</textarea>" in text
    assert f'action="/t/{thread_id}/reply"' in text
    assert 'name="anonymous" value="y" checked' in text


def test_reports_per_member_are_limited(app, login_as):
    with app.app_context():
        author = make_member("prolific")
        posts = [make_thread(author, title=f"Thread {n}").first_post_id for n in range(21)]
        make_member("reporter")
    reporter = login_as("reporter")
    for post_id in posts[:20]:
        assert reporter.post(f"/p/{post_id}/report", data={"reason": "spam"}).status_code == 302
    assert reporter.post(f"/p/{posts[20]}/report", data={"reason": "spam"}).status_code == 429


def test_limits_can_be_switched_off_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FORUM_RATELIMITS", "off")
    assert (
        settings_from_environment({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})[
            "RATELIMIT_ENABLED"
        ]
        is False
    )
    monkeypatch.delenv("FORUM_RATELIMITS")
    assert (
        settings_from_environment({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})[
            "RATELIMIT_ENABLED"
        ]
        is True
    )


def test_redis_url_sets_shared_storage(monkeypatch, tmp_path):
    monkeypatch.setenv("FORUM_REDIS_URL", "redis://127.0.0.1:6379/13")
    settings = settings_from_environment({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/13"


def test_without_redis_the_counts_are_in_a_file_every_worker_shares(monkeypatch, tmp_path):
    monkeypatch.delenv("FORUM_REDIS_URL", raising=False)
    settings = settings_from_environment({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    path = tmp_path.resolve() / "ratelimits.sqlite"
    assert settings["RATELIMIT_STORAGE_URI"] == f"forum-sqlite://{path}"


def test_the_counters_file_counts_in_fixed_windows_that_start_again(tmp_path):
    from limits import parse
    from limits.strategies import FixedWindowRateLimiter

    from forum.ratelimit_storage import SQLiteStorage, storage_uri

    uri = storage_uri(tmp_path / "counters.sqlite")
    # Two storages on one file stand for two worker processes.
    first, second = (FixedWindowRateLimiter(SQLiteStorage(uri)) for _ in range(2))
    limit = parse("3 per second")
    assert [first.hit(limit, "address:1"), second.hit(limit, "address:1")] == [True, True]
    assert first.hit(limit, "address:1") is True
    assert second.hit(limit, "address:1") is False
    assert second.hit(limit, "address:2") is True  # another key, another count
    assert first.get_window_stats(limit, "address:1").remaining == 0
    time.sleep(1.05)
    assert second.hit(limit, "address:1") is True  # the window ended: counting starts again
    assert first.get_window_stats(limit, "address:1").remaining == 2
    assert (tmp_path / "counters.sqlite").stat().st_mode & 0o077 == 0


# --- Two real servers sharing one Redis ------------------------------------------------------


def redis_is_up() -> bool:
    try:
        import redis

        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


class Browser:
    """A tiny cookie-keeping HTTP client that sends forms with their CSRF token."""

    def __init__(self):
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=10) as response:
            return response.read().decode()

    def post_form(self, page_url: str, data: dict) -> int:
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.get(page_url))
        body = urlencode({**data, "csrf_token": token.group(1)}).encode()
        try:
            with self.opener.open(page_url, data=body, timeout=10) as response:
                return response.status
        except HTTPError as error:
            return error.code


def start_server(port: int, env: dict) -> subprocess.Popen:
    forum = Path(sys.executable).parent / "forum"
    process = subprocess.Popen(
        [str(forum), "run", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            Browser().get(f"http://127.0.0.1:{port}/healthz")
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the forum on port {port} did not start")


@pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.skipif(bool(POSTGRES_URL), reason="the servers use their own SQLite file")
def test_two_servers_sharing_redis_share_the_login_limit(tmp_path):
    database = tmp_path / "shared.db"
    env = {
        **os.environ,
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "FORUM_DATABASE_URL": f"sqlite:///{database}",
        "FORUM_SECRET_KEY": "shared-secret",
        "FORUM_REDIS_URL": "redis://127.0.0.1:6379/13",
        "FORUM_RATELIMITS": "on",
        # Counters of this run only (earlier runs' counts for 127.0.0.1 may still live).
        "FORUM_RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    forum = Path(sys.executable).parent / "forum"
    subprocess.run([str(forum), "init"], env=env, check=True, capture_output=True, timeout=120)
    ports = (5871, 5872)
    servers = [start_server(port, env) for port in ports]
    try:
        handle = f"shared_{uuid.uuid4().hex[:8]}"
        statuses = []
        for attempt in range(11):
            port = ports[attempt % 2]
            statuses.append(
                Browser().post_form(
                    f"http://127.0.0.1:{port}/login", {"handle": handle, "password": "wrong"}
                )
            )
        assert statuses[:10] == [400] * 10
        assert statuses[10] == 429  # the 11th attempt, counted across both servers
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_a_safety_plan_save_past_the_limit_comes_back_with_every_line(app, login_as):
    app.config["FORUM_LIMIT_SAFETY_PLAN"] = "2 per hour"
    with app.app_context():
        make_member("plan_keeper")
    member = login_as("plan_keeper")
    plan = {"helpers": "My sister Sam: 07700 900123", "reasons_for_living": "Biscuit"}
    for _ in range(2):
        assert member.post("/safety-plan/edit", data=plan).status_code == 302
    refused = member.post("/safety-plan/edit", data={**plan, "reasons_for_living": "New words"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "this save was not made" in page
    assert ">\r\nNew words</textarea>" in page
    assert ">\r\nMy sister Sam: 07700 900123</textarea>" in page
    assert "Biscuit" in member.get("/safety-plan").get_data(as_text=True)  # as last saved
