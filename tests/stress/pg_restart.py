"""PostgreSQL restarted under load: a private cluster, gunicorn (2 workers), posting clients.

Never touches the shared server on 5432: it initdb's a throwaway cluster (as the ``postgres``
OS user, since PostgreSQL refuses to run as root) on a free port of 127.0.0.1, serves the
forum on it with ``forum serve``, lets a few members post replies continuously, and restarts
the cluster (``pg_ctl restart -m fast``) mid-load. It checks: only 302s and 503s (never a
500), 503s only around the restart, posting succeeds again within a few seconds of the
server being back (pool_pre_ping), and every acknowledged reply is stored exactly once.

    python -m tests.stress.pg_restart [--clients 3] [--seconds 12]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack, suppress
from pathlib import Path

from tests.stress.harness import Browser, Unavailable, free_port, start_forum, stop, tag
from tests.stress.two_servers import POST_LOCATION, seed

PG_BIN = Path(os.environ.get("FORUM_PG_BIN", "/usr/lib/postgresql/15/bin"))
BACK_WITHIN_SECONDS = 8


def as_postgres(*command, timeout=120) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, *map(str, command)], capture_output=True, text=True, timeout=timeout, check=True
    )


class PrivateCluster:
    """A throwaway PostgreSQL cluster in ``folder``, on ``port`` of 127.0.0.1."""

    def __init__(self, folder: Path):
        if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
            raise Unavailable(f"no PostgreSQL binaries in {PG_BIN} (FORUM_PG_BIN)")
        if os.geteuid() == 0 and not shutil.which("runuser"):
            raise Unavailable("running as root without runuser: PostgreSQL refuses root")
        self.folder, self.port = folder, free_port()
        self.data = folder / "data"
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            folder.parent.chmod(0o711)  # postgres must get through the root-owned temp folder
            shutil.chown(folder, "postgres")
            folder.chmod(0o700)
        as_postgres(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-N")
        self.options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args):
        log = self.folder / "server.log"
        return as_postgres(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", self.options, "-l", log, "-w", *args
        )

    def stop(self):
        with suppress(subprocess.CalledProcessError):
            self.pg_ctl("stop", "-m", "immediate")


def run(clients: int = 3, seconds: float = 12.0, out=print) -> dict:
    """The whole run; returns what was seen, raising AssertionError on any broken promise."""
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="forum-pgrestart-"))
        stack.callback(shutil.rmtree, folder, True)
        cluster = PrivateCluster(folder / "pg")
        cluster.pg_ctl("start")
        stack.callback(cluster.stop)
        instance = folder / "instance"
        instance.mkdir()
        secret = uuid.uuid4().hex
        handles = [f"walker_{n}" for n in range(clients)]
        thread_id = seed(cluster.url, handles, secret, instance)
        port = free_port()
        env = {
            **os.environ,
            "FORUM_DATABASE_URL": cluster.url,
            "FORUM_INSTANCE_PATH": str(instance),
            "FORUM_SECRET_KEY": secret,
            "FORUM_RATELIMITS": "off",
            "FORUM_NEW_MEMBER_HOLD": "0",
            "FORUM_WORKERS": "2",
        }
        server = start_forum(port, env, folder / "forum.log")
        stack.callback(stop, server)
        base = f"http://127.0.0.1:{port}"
        browsers = []
        for handle in handles:
            browser = Browser(base)
            assert browser.login(handle).status == 302, f"{handle} could not log in"
            browsers.append((handle, browser, browser.token(f"/t/{thread_id}/reply")))

        lock, stop_posting = threading.Lock(), threading.Event()
        acknowledged, answers = {}, []  # answers: (time, status)

        def post(handle, browser, token):
            n = 0
            while not stop_posting.is_set():
                body = f"Reply {n} from {handle}: still standing. ({tag()})"
                try:
                    answer = browser.request(
                        f"/t/{thread_id}/reply", {"body": body, "csrf_token": token}
                    )
                    status, location = answer.status, answer.headers.get("Location", "")
                    if status == 503 and body not in answer.text:
                        status = "503 without the typed reply"
                except OSError as error:
                    status, location = f"connection: {error}", ""
                found = POST_LOCATION.match(location) if status == 302 else None
                with lock:
                    answers.append((time.monotonic(), status))
                    if found:
                        acknowledged[int(found.group(1))] = body
                n += 1
                time.sleep(0.05)

        workers = [threading.Thread(target=post, args=b, daemon=True) for b in browsers]
        for worker in workers:
            worker.start()
        time.sleep(seconds / 3)
        down_at = time.monotonic()
        cluster.pg_ctl("stop", "-m", "fast")
        time.sleep(2)
        cluster.pg_ctl("start")
        up_at = time.monotonic()
        time.sleep(seconds * 2 / 3)
        stop_posting.set()
        for worker in workers:
            worker.join(timeout=30)

        statuses = sorted({str(status) for _, status in answers})
        bad = [(t, s) for t, s in answers if s not in (302, 503)]
        late_errors = [t for t, s in answers if s != 302 and t > up_at + BACK_WITHIN_SECONDS]
        early_errors = [t for t, s in answers if s != 302 and t < down_at]
        back = [t for t, s in answers if s == 302 and t > up_at]
        from sqlalchemy import create_engine, text

        engine = create_engine(cluster.url)
        with engine.connect() as connection:
            stored = {
                row.id: row.body
                for row in connection.execute(
                    text("SELECT id, body_source AS body FROM posts WHERE thread_id = :t"),
                    {"t": thread_id},
                )
            }
        engine.dispose()
        missing = [pid for pid, body in acknowledged.items() if stored.get(pid) != body]
        bodies = list(stored.values())
        twice = [body for body in acknowledged.values() if bodies.count(body) != 1]
        seen = {
            "answers": len(answers),
            "acknowledged": len(acknowledged),
            "statuses": statuses,
            "errors": sum(1 for _, s in answers if s != 302),
            "first_success_after_up_s": round(min(back) - up_at, 2) if back else None,
        }
        out(f"pg restart run: {seen}")
        log_lines = (folder / "forum.log").read_text(errors="replace").splitlines()
        # The routine lines (answers, the expected database-fault warnings) hide the one that
        # matters: keep everything else, tracebacks first.
        routine = (" 302 ", " 503 ", "Database fault (503)")
        log_tail = "\n".join(
            [line for line in log_lines if not any(word in line for word in routine)][-80:]
        )
        assert not bad, f"answers other than 302/503: {bad[:5]}\nforum.log:\n{log_tail}"
        assert not early_errors, "errors before PostgreSQL was stopped"
        assert not late_errors, f"errors more than {BACK_WITHIN_SECONDS} s after it was back"
        assert back and min(back) - up_at < BACK_WITHIN_SECONDS, "no success after the restart"
        assert not missing, f"acknowledged replies not stored: {missing[:5]}"
        assert not twice, "an acknowledged reply stored other than once"
        return seen


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=3, help="members posting (default 3)")
    parser.add_argument(
        "--seconds", type=float, default=12.0, help="length of the load, restart at 1/3"
    )
    args = parser.parse_args(argv)
    try:
        run(args.clients, args.seconds)
    except Unavailable as error:
        print(f"skipped: {error}")
        return 0
    except AssertionError as error:
        print(f"FAILED: {error}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
