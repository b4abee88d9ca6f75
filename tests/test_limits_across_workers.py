"""Login limits hold across gunicorn workers: `forum serve` with 3 worker processes counting
in one Redis. Attempts are sent several at a time, so they land on different workers (each
sync worker serves one request at a time; the log's process ids show which answered), and
the limits hold all the same: per address, the 11th attempt inside a minute is refused
whatever handle it names; per account, failures from many addresses are counted together, and
past FORUM_LIMIT_LOGIN_HANDLE (10 here) a new address gets only three wrong passwords for it.
A made-up X-Forwarded-For does not buy a fresh allowance while FORUM_TRUSTED_PROXIES is unset.

Without Redis, `forum serve` with its default 2 workers counts in a SQLite file both share
(forum.ratelimit_storage): still 10 attempts a minute from one address, not 10 per worker.

The Redis tests need Redis on 127.0.0.1:6379 (database 9, keys under a prefix of this run only).
"""

import os
import re
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import POSTGRES_URL
from tests.stress import harness

REDIS_URL = "redis://127.0.0.1:6379/9"
WORKERS = 3
LIMIT = 10  # FORUM_LIMIT_LOGIN's default: 10 per minute
HANDLE_LIMIT = 10  # FORUM_LIMIT_LOGIN_HANDLE for this server (100 a day by default)
SLOW_DOWN = "Please slow down for a moment"


def redis_is_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


pytestmark = pytest.mark.skipif(
    bool(POSTGRES_URL), reason="the server uses its own SQLite file (covered by the SQLite run)"
)
needs_redis = pytest.mark.skipif(not redis_is_up(), reason=f"no Redis at {REDIS_URL}")


@pytest.fixture(scope="module")
def server(tmp_path_factory, migrated_sqlite_template):
    """`forum serve` with 3 workers on a free port; yields (base URL, log path, key prefix)."""
    import redis

    folder = tmp_path_factory.mktemp("workers")
    database = folder / "forum.db"
    shutil.copyfile(migrated_sqlite_template, database)
    prefix = f"workers-test-{uuid.uuid4().hex}"
    port = harness.free_port()
    env = {
        **os.environ,
        "FORUM_INSTANCE_PATH": str(folder / "instance"),
        "FORUM_DATABASE_URL": f"sqlite:///{database}",
        "FORUM_SECRET_KEY": "workers-test-key",
        "FORUM_WORKERS": str(WORKERS),
        "FORUM_THREADS": "1",
        "FORUM_RATELIMITS": "on",
        "FORUM_REDIS_URL": REDIS_URL,
        "FORUM_RATELIMIT_KEY_PREFIX": prefix,
        "FORUM_LIMIT_LOGIN_HANDLE": f"{HANDLE_LIMIT} per hour",
    }
    env.pop("FORUM_TRUSTED_PROXIES", None)
    log = folder / "serve.log"
    process = harness.start_forum(port, env, log)
    try:
        yield f"http://127.0.0.1:{port}", log, prefix
    finally:
        harness.stop(process)
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        for key in client.scan_iter(match=f"*{prefix}*", count=500):
            client.delete(key)


def attempt(base_url: str, handle: str, address: str, headers: dict | None = None):
    """One wrong login from ``address`` (its own cookies and CSRF token)."""
    return harness.Browser(base_url, address).login(handle, "wrong password", headers=headers)


def at_once(calls, workers: int = WORKERS) -> list:
    """Run the calls ``workers`` at a time, so the workers are busy side by side."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda call: call(), calls))


def workers_that_logged(log, needle: str) -> set[str]:
    return set(re.findall(rf"\[(\d+)\] WARNING forum\.security: {re.escape(needle)}", log))


@needs_redis
def test_the_per_account_count_holds_across_workers_and_addresses(server):
    base_url, log, _ = server
    handle = f"target_{uuid.uuid4().hex[:8]}"
    # Each attempt from its own address: only the per-account count sees them together.
    answers = at_once(
        [lambda n=n: attempt(base_url, handle, f"127.0.1.{n + 1}") for n in range(HANDLE_LIMIT)]
    )
    assert [answer.status for answer in answers] == [400] * HANDLE_LIMIT
    assert all("do not match" in answer.text for answer in answers)

    # The account is under attack now: a new address gets three wrong passwords, not ten.
    late = at_once([lambda: attempt(base_url, handle.upper(), "127.0.1.200")] * 3)
    assert [answer.status for answer in late] == [400] * 3
    blocked = attempt(base_url, handle, "127.0.1.200")
    assert blocked.status == 429 and SLOW_DOWN in blocked.text
    assert len(workers_that_logged(log.read_text(), "login failed")) >= 2, (
        "the attempts all reached one worker; the test would not show sharing"
    )


@needs_redis
def test_the_per_address_limit_holds_across_workers_and_forged_forwarded_for(server):
    base_url, log, _ = server
    address = "127.0.2.9"
    answers = at_once(
        [
            lambda n=n: attempt(base_url, f"someone_{uuid.uuid4().hex[:6]}_{n}", address)
            for n in range(LIMIT)
        ]
    )
    assert [answer.status for answer in answers] == [400] * LIMIT

    # New handles each time, and a new made-up client address in X-Forwarded-For each time.
    forged = at_once(
        [
            lambda n=n: attempt(
                base_url,
                f"another_{uuid.uuid4().hex[:6]}",
                address,
                headers={"X-Forwarded-For": f"203.0.113.{n + 1}", "X-Real-IP": "203.0.113.99"},
            )
            for n in range(WORKERS * 2)
        ]
    )
    assert [answer.status for answer in forged] == [429] * (WORKERS * 2)
    assert all(SLOW_DOWN in answer.text for answer in forged)
    output = log.read_text()
    assert len(workers_that_logged(output, "rate limited")) >= 2
    # Another address is not caught by this one's limit.
    assert attempt(base_url, f"fresh_{uuid.uuid4().hex[:6]}", "127.0.2.10").status == 400


@pytest.fixture
def server_without_redis(tmp_path, sqlite_env):
    """`forum serve` as installed: its default 2 workers, and no FORUM_REDIS_URL."""
    port = harness.free_port()
    env = {**sqlite_env, "FORUM_RATELIMITS": "on"}
    for name in ("FORUM_REDIS_URL", "FORUM_WORKERS", "FORUM_THREADS", "FORUM_TRUSTED_PROXIES"):
        env.pop(name, None)
    log = tmp_path / "serve.log"
    process = harness.start_forum(port, env, log)
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        harness.stop(process)


def answering_workers(log) -> set[str]:
    output = log.read_text()
    return workers_that_logged(output, "login failed") | workers_that_logged(output, "rate limited")


def until_both_workers_answer(base_url: str, log) -> None:
    """Wrong logins from a spare address, two at a time, until both workers have answered one:
    a worker still loading the app would leave every attempt of the test to the other."""
    deadline = time.monotonic() + 30
    while len(answering_workers(log)) < 2:
        assert time.monotonic() < deadline, "the second worker never answered"
        at_once([lambda: attempt(base_url, "warming_up", "127.0.3.200")] * 2, workers=2)


def test_without_redis_two_workers_allow_the_documented_attempts_not_twice_as_many(
    server_without_redis,
):
    base_url, log = server_without_redis
    until_both_workers_answer(base_url, log)
    answers = at_once(
        [
            lambda n=n: attempt(base_url, f"someone_{uuid.uuid4().hex[:6]}_{n}", "127.0.3.9")
            for n in range(2 * LIMIT + 2)
        ],
        workers=2,
    )
    statuses = [answer.status for answer in answers]
    assert statuses.count(400) == LIMIT, statuses
    assert statuses.count(429) == LIMIT + 2, statuses
