"""Two `forum serve` (gunicorn) servers behind one nginx, sharing PostgreSQL, Redis and a key.

Through nginx: members log in with the real form, post replies from several threads, and one
server is stopped half-way. Checks that no acknowledged reply is lost, that sessions survive
the loss of the server that created them, and that the login rate limit counts across both.

    .venv/bin/python -m tests.stress.two_servers [--threads 4] [--replies 25] [--install-nginx]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, or FORUM_STRESS_POSTGRES_URL), Redis on
127.0.0.1:6379 and Debian's nginx. Everything it starts binds 127.0.0.1 and is removed after.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a plain script
    sys.path.insert(0, str(REPO))

from tests.stress.harness import (  # noqa: E402 - after the path set-up above
    REDIS_URL,
    REQUEST_TIMEOUT,
    Browser,
    Unavailable,
    check_redis,
    find_nginx,
    forget_redis_counters,
    free_port,
    start_forum,
    start_nginx,
    stop,
    tag,
    throwaway_database,
)

POST_LOCATION = re.compile(r"^/p/(\d+)$")

# --- the run -------------------------------------------------------------------------------------


@dataclass
class Result:
    attempted: int = 0
    acknowledged: dict = field(default_factory=dict)  # post id -> body
    failures: list = field(default_factory=list)
    stopped_after: int = 0
    victim: str = ""
    login_statuses: list = field(default_factory=list)
    login_upstreams: set = field(default_factory=set)
    missing: list = field(default_factory=list)
    sessions_kept: dict = field(default_factory=dict)  # handle -> still logged in
    seconds: float = 0.0

    def problems(self) -> list[str]:
        found = []
        if self.missing:
            found.append(f"acknowledged replies missing from the database: {self.missing}")
        if not all(self.sessions_kept.values()):
            found.append(f"sessions lost when a server stopped: {self.sessions_kept}")
        if self.login_statuses[:10] != [400] * 10 or self.login_statuses[10:] != [429]:
            found.append(f"login limit not shared: statuses {self.login_statuses}")
        if len(self.login_upstreams) < 2:
            found.append(f"wrong logins did not reach both servers: {self.login_upstreams}")
        if len(self.acknowledged) < self.attempted * 0.8:
            found.append(f"only {len(self.acknowledged)} of {self.attempted} replies acknowledged")
        return found

    def summary(self) -> str:
        return (
            f"{len(self.acknowledged)}/{self.attempted} replies acknowledged, all in the database: "
            f"{not self.missing}; stopped {self.victim} after {self.stopped_after}; "
            f"{len(self.failures)} failed request(s); sessions kept: "
            f"{sum(self.sessions_kept.values())}/{len(self.sessions_kept)}; wrong-login "
            f"statuses {self.login_statuses}; {self.seconds:.1f} s"
            + (f"\nfailed: {'; '.join(self.failures)}" if self.failures else "")
        )


def seed(database_url: str, handles: list[str], secret_key: str, folder: Path) -> int:
    """``forum init`` the database, add the members (trust level 1) and one thread; its id."""
    from forum import create_app
    from forum.extensions import db
    from tests.factories import make_member, make_thread

    env = {**os.environ, "FORUM_DATABASE_URL": database_url, "FORUM_INSTANCE_PATH": str(folder)}
    env["FORUM_SECRET_KEY"] = secret_key
    forum = Path(sys.executable).parent / "forum"
    subprocess.run([str(forum), "init"], env=env, check=True, capture_output=True, timeout=120)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(folder)}
        | {"SECRET_KEY": secret_key}
    )
    with app.app_context():
        members = [make_member(handle) for handle in handles]
        thread_id = make_thread(members[0], title="Evenings that go on too long").id
        db.engine.dispose()
    return thread_id


def post_replies(browser, thread_id, who, count, result, lock, halfway) -> None:
    token = browser.token(f"/t/{thread_id}/reply")
    for n in range(count):
        body = f"Reply {n} from {who}: a walk helped me today. ({tag()})"
        with lock:
            result.attempted += 1
        try:
            answer = browser.request(f"/t/{thread_id}/reply", {"body": body, "csrf_token": token})
        except (URLError, OSError) as error:
            with lock:
                result.failures.append(f"{who} #{n}: {error}")
            continue
        found = POST_LOCATION.match(answer.headers.get("Location", ""))
        with lock:
            if answer.status == 302 and found:
                result.acknowledged[int(found.group(1))] = body
                if len(result.acknowledged) >= halfway.target:
                    halfway.set()
            else:
                result.failures.append(f"{who} #{n}: {answer.status}")


def check_login_limit(base_url: str, result: Result) -> None:
    """11 wrong logins for one handle from one address, spread by nginx over both servers."""
    handle = f"target_{uuid.uuid4().hex[:8]}"
    for attempt in range(11):
        # A spoofed X-Forwarded-For must not help: nginx appends the real address.
        spoof = {"X-Forwarded-For": f"203.0.113.{attempt}"}
        browser = Browser(base_url, "127.0.0.100")
        if attempt % 2:
            browser.request("/healthz")  # shifts round robin: the POSTs alternate servers
        answer = browser.login(handle, "wrong", spoof)
        result.login_statuses.append(answer.status)
        result.login_upstreams.add(answer.upstream)


def run(threads: int = 4, replies: int = 25, install_nginx: bool = False) -> Result:
    """The whole scenario; raises Unavailable when nginx, PostgreSQL or Redis is missing."""
    nginx = find_nginx(install_nginx)
    check_redis()
    started = time.monotonic()
    result = Result()
    prefix = f"stress-{uuid.uuid4().hex}"
    handles = [f"walker_{n}_{uuid.uuid4().hex[:6]}" for n in range(threads)]
    secret_key = uuid.uuid4().hex * 2
    with ExitStack() as cleanup:
        folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="forum-stress-")))
        database_url = cleanup.enter_context(throwaway_database())
        cleanup.callback(forget_redis_counters, prefix)
        thread_id = seed(database_url, handles, secret_key, folder)
        env = {
            **os.environ,
            "FORUM_DATABASE_URL": database_url,
            "FORUM_INSTANCE_PATH": str(folder),
            "FORUM_SECRET_KEY": secret_key,
            "FORUM_REDIS_URL": REDIS_URL,
            "FORUM_RATELIMIT_KEY_PREFIX": prefix,
            "FORUM_RATELIMITS": "on",
            "FORUM_TRUSTED_PROXIES": "1",
            "FORUM_LIMIT_POSTS": "1000 per minute",
            "FORUM_NEW_MEMBER_HOLD": "0",
            "FORUM_WORKERS": "2",
            "FORUM_THREADS": "2",
        }
        ports = [free_port(), free_port()]
        servers = {}
        for port in ports:
            servers[f"127.0.0.1:{port}"] = start_forum(port, env, folder / f"forum-{port}.log")
            cleanup.callback(stop, servers[f"127.0.0.1:{port}"])
        proxy, proxy_port = start_nginx(nginx, folder / "nginx", ports)
        cleanup.callback(stop, proxy)
        base_url = f"http://127.0.0.1:{proxy_port}"

        check_login_limit(base_url, result)
        browsers, made_by = [], {}
        for n, handle in enumerate(handles):
            browser = Browser(base_url, f"127.0.0.{10 + n}")
            answer = browser.login(handle)
            if answer.status != 302 or not browser.logged_in():
                raise RuntimeError(f"{handle} could not log in through nginx ({answer.status})")
            browsers.append(browser)
            made_by[handle] = answer.upstream
        result.victim = made_by[handles[0]]  # the server that made the first session

        lock, halfway = threading.Lock(), threading.Event()
        halfway.target = threads * replies // 2
        workers = [
            threading.Thread(
                target=post_replies,
                args=(browser, thread_id, handle, replies, result, lock, halfway),
                daemon=True,
            )
            for browser, handle in zip(browsers, handles, strict=True)
        ]
        for worker in workers:
            worker.start()
        halfway.wait(timeout=120)
        result.stopped_after = len(result.acknowledged)
        stop(servers[result.victim])
        for worker in workers:
            worker.join(timeout=REQUEST_TIMEOUT * replies)

        for browser, handle in zip(browsers, handles, strict=True):
            result.sessions_kept[handle] = browser.logged_in()
        result.missing = missing_replies(database_url, result.acknowledged)
        result.seconds = time.monotonic() - started
    return result


def missing_replies(database_url: str, acknowledged: dict) -> list[int]:
    """Acknowledged reply ids that are not in the database with the text that was sent."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = text("SELECT id, body_source FROM posts WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            stored = dict(connection.execute(query, {"ids": list(acknowledged) or [0]}).all())
    finally:
        engine.dispose()
    return sorted(i for i, body in acknowledged.items() if stored.get(i) != body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--replies", type=int, default=25, help="replies per thread")
    parser.add_argument("--install-nginx", action="store_true")
    options = parser.parse_args()
    # A SIGTERM, like Ctrl-C, runs the clean-up in `run` rather than leave servers behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        result = run(options.threads, options.replies, options.install_nginx)
    except Unavailable as missing:
        print(f"stress: cannot run: {missing}")
        return 2
    print(result.summary())
    for problem in result.problems():
        print(f"FAIL: {problem}")
    return 1 if result.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
