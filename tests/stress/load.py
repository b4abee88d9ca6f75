"""Load with nothing lost: N members reply through 4 gunicorn workers for D seconds, workers
SIGKILLed on request; every acknowledged post must be in the database exactly once.

Clients send real forms (CSRF token and submission key read from the reply form) and retry a
failed or cut-off submission with the SAME submission key, so a retry of a post that did land
returns it instead of making a second one.
"""

import argparse
import itertools
import os
import random
import re
import signal
import sqlite3
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from tests.stress.harness import (
    Browser,
    free_port,
    start_forum,
    stop,
    tag,
    throwaway_database,
)
from tests.stress.two_servers import seed

KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
POST_LOCATION = re.compile(r"^(?:https?://[^/]+)?/p/(\d+)$")
HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
RETRIES = 20  # logging in
GIVE_UP_AFTER = 60  # seconds one submission is retried while workers restart
WORKERS = 4


@dataclass
class Result:
    acknowledged: dict = field(default_factory=dict)  # post id -> (body, key)
    attempts: int = 0
    retries: int = 0
    statuses: dict = field(default_factory=dict)
    server_errors: list = field(default_factory=list)
    lost: list = field(default_factory=list)
    kills: int = 0
    problems: list = field(default_factory=list)
    other_pages: list = field(default_factory=list)  # headings of answers that were not a post
    seconds: float = 0.0

    def summary(self) -> str:
        rows = [
            ("acknowledged posts", len(self.acknowledged)),
            ("submissions (with retries)", self.attempts),
            ("retries", self.retries),
            ("workers killed", self.kills),
            ("statuses", dict(sorted(self.statuses.items()))),
            ("seconds", f"{self.seconds:.1f}"),
            ("problems", len(self.problems)),
            ("other pages", sorted(set(self.other_pages))[:5]),
        ]
        lines = [f"{name:<28} {value}" for name, value in rows]
        return "\n".join(lines + [f"  - {problem}" for problem in self.problems[:20]])


def worker_pids(arbiter: int) -> list[int]:
    """The gunicorn workers: the arbiter's child processes."""
    try:
        children = Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def age(pid: int) -> float:
    """Seconds since the process started (its /proc entry was made), 0 when it is gone."""
    try:
        return time.time() - os.stat(f"/proc/{pid}").st_ctime
    except OSError:
        return 0.0


def killer(arbiter: int, every_ms: int, stop_at: float, result: Result, lock) -> None:
    while time.monotonic() < stop_at:
        time.sleep(every_ms / 1000)
        # Only a worker that has had time to boot, and only while all four are up: killing
        # the replacements as they load the app would leave nobody to answer at all.
        pids = worker_pids(arbiter)
        pids = [pid for pid in pids if age(pid) > 1.0] if len(pids) >= WORKERS else []
        if pids:
            try:
                os.kill(random.choice(pids), signal.SIGKILL)  # noqa: S311 - not security
                with lock:
                    result.kills += 1
            except ProcessLookupError:
                pass


def client(base_url, handle, thread_ids, window, result, lock, ready) -> None:
    browser = Browser(base_url)
    for _ in range(RETRIES):
        try:
            if browser.login(handle).status == 302:
                break
        except OSError:
            time.sleep(0.2)
    else:
        with lock:
            result.problems.append(f"{handle} could not log in")
        ready.wait()
        return
    ready.wait()  # the load starts when every member is logged in
    stop_at = window["stop_at"]
    n = 0
    while time.monotonic() < stop_at:
        thread_id = random.choice(thread_ids)  # noqa: S311
        try:
            form = browser.request(f"/t/{thread_id}/reply")
        except OSError:
            time.sleep(0.05)  # a worker killed mid-answer, or none up yet
            continue
        token, key = TOKEN.search(form.text), KEY.search(form.text)
        if form.status >= 500:
            with lock:
                result.server_errors.append(f"GET form {form.status}")
        if not (token and key):
            continue
        body = f"Reply {n} from {handle}: a walk helped. ({tag()})"
        data = {"body": body, "csrf_token": token.group(1), "submission_key": key.group(1)}
        n += 1
        answer = submit_until_answered(browser, f"/t/{thread_id}/reply", data, result, lock)
        record_answer(answer, body, key.group(1), result, lock)


def submit_until_answered(browser, path, data, result, lock):
    """Send the form until the server answers it, the same submission key every time: a
    submission cut off by a killed worker may or may not have landed, and the key makes the
    retry return the post it made. Backs off while the workers are being restarted; gives up
    (None) only after GIVE_UP_AFTER seconds."""
    deadline = time.monotonic() + GIVE_UP_AFTER
    for attempt in itertools.count():
        with lock:
            result.attempts += 1
            result.retries += attempt > 0
        try:
            return browser.request(path, data)
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(min(0.05 * 2**attempt, 1.0))


def record_answer(answer, body: str, key: str, result, lock) -> None:
    with lock:
        if answer is None:
            result.lost.append(body)
            return
        result.statuses[answer.status] = result.statuses.get(answer.status, 0) + 1
        if answer.status >= 500 or "database is locked" in answer.text:
            result.server_errors.append(f"{answer.status} {answer.text[:80]!r}")
        found = POST_LOCATION.match(answer.headers.get("Location", ""))
        if answer.status in (302, 303) and found:
            result.acknowledged[int(found.group(1))] = (body, key)
        else:
            heading = HEADING.search(answer.text)
            result.other_pages.append(heading.group(1).strip() if heading else "?")


def check_database(database_url: str, result: Result) -> None:
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            ids = list(result.acknowledged) or [0]
            query = text("SELECT id, body_source FROM posts WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            stored = dict(connection.execute(query, {"ids": ids}).all())
            bodies = [body for body, _ in result.acknowledged.values()]
            counts = text(
                "SELECT body_source, count(*) FROM posts WHERE body_source IN :b "
                "GROUP BY body_source"
            ).bindparams(bindparam("b", expanding=True))
            per_body = dict(connection.execute(counts, {"b": bodies or [""]}).all())
            duplicated = connection.execute(
                text(
                    "SELECT author_id, submission_key FROM posts WHERE submission_key IS NOT NULL "
                    "GROUP BY author_id, submission_key HAVING count(*) > 1"
                )
            ).all()
    finally:
        engine.dispose()
    for post_id, (body, _) in result.acknowledged.items():
        if stored.get(post_id) != body:
            result.problems.append(f"acknowledged post {post_id} is not in the database")
        elif per_body.get(body) != 1:
            result.problems.append(f"post {post_id} is there {per_body.get(body)} times")
    if duplicated:
        result.problems.append(f"duplicate submission keys: {duplicated[:5]}")
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            result.problems.append(f"PRAGMA integrity_check: {check}")


def run(members=50, seconds=60, kill_every_ms=0, database_url=None, threads=3) -> Result:
    started = time.monotonic()
    result, lock = Result(), threading.Lock()
    handles = [f"member_{n}_{tag()[:6]}" for n in range(members)]
    secret_key = uuid.uuid4().hex * 2
    with ExitStack() as cleanup:
        folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="forum-load-")))
        if database_url == "postgresql":
            database_url = cleanup.enter_context(throwaway_database())
        elif database_url is None:
            database_url = f"sqlite:///{folder / 'forum.db'}"
        thread_ids = [seed(database_url, handles, secret_key, folder)]
        thread_ids += [seed_thread(database_url, secret_key, folder, handles[n]) for n in (1, 2)]
        env = {
            **os.environ,
            "FORUM_DATABASE_URL": database_url,
            "FORUM_INSTANCE_PATH": str(folder),
            "FORUM_SECRET_KEY": secret_key,
            "FORUM_RATELIMITS": "off",
            "FORUM_NEW_MEMBER_HOLD": "0",
            "FORUM_WORKERS": str(WORKERS),
            "FORUM_THREADS": "4",
        }
        log = folder / "forum.log"
        server = start_forum(free_port_and_remember(env), env, log)
        cleanup.callback(stop, server)
        base_url = f"http://127.0.0.1:{env['_PORT']}"
        window = {}
        ready = threading.Barrier(
            len(handles) + 1,
            action=lambda: window.update(stop_at=time.monotonic() + seconds),
            timeout=120,
        )
        workers = [
            threading.Thread(
                target=client,
                args=(base_url, h, thread_ids, window, result, lock, ready),
                daemon=True,
            )
            for h in handles
        ]
        for worker in workers:
            worker.start()
        ready.wait()
        stop_at = window["stop_at"]
        if kill_every_ms:
            workers.append(
                threading.Thread(
                    target=killer,
                    args=(server.pid, kill_every_ms, stop_at, result, lock),
                    daemon=True,
                )
            )
            workers[-1].start()
        for worker in workers:
            worker.join(timeout=seconds + 120)
        if any(worker.is_alive() for worker in workers):
            result.problems.append("clients still running after the time bound")
        stop(server)
        logs = log.read_text(errors="replace")
        if "database is locked" in logs:
            result.problems.append("'database is locked' in the server log")
        if "Traceback" in logs and "Exception on /" in logs:
            result.problems.append("an exception in the server log")
        result.problems += [f"5xx or lock error: {e}" for e in result.server_errors[:10]]
        result.problems += [f"no answer in {GIVE_UP_AFTER} s of retries: {b}" for b in result.lost]
        check_database(database_url, result)
        if not result.acknowledged:
            result.problems.append("no post was acknowledged")
    result.seconds = time.monotonic() - started
    return result


def free_port_and_remember(env: dict) -> int:
    env["_PORT"] = str(free_port())
    return int(env["_PORT"])


def seed_thread(database_url, secret_key, folder, handle) -> int:
    from forum import create_app
    from forum.auth.services import find_member
    from forum.extensions import db
    from tests.factories import make_thread

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(folder)}
        | {"SECRET_KEY": secret_key}
    )
    with app.app_context():
        thread_id = make_thread(find_member(handle), title=f"Small wins, {handle}").id
        db.engine.dispose()
    return thread_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-every-ms", type=int, default=0, help="SIGKILL a worker this often")
    parser.add_argument(
        "--database-url",
        help="'postgresql' for a throwaway PostgreSQL database (default: a fresh SQLite file)",
    )
    args = parser.parse_args()
    result = run(args.members, args.seconds, args.kill_every_ms, args.database_url)
    print(result.summary())
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
