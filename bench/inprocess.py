"""Where a member's request spends its time, in-process (``python -m bench.inprocess``).

Flask's test client, no HTTP and no gunicorn, on an already seeded database (FORUM_DATABASE_URL):
a member's thread page, board page and home page, and one reply cycle (open the thread, post,
follow the redirect). Prints milliseconds per request and SQL statements per request;
``--profile`` adds a cProfile of the thread page sorted by cumulative time.
"""

import argparse
import cProfile
import os
import pstats
import time

from sqlalchemy import event, func, select

from bench.seed import BENCH_PASSWORD, GIANT_REPLIES, HANDLE_PREFIX
from forum import create_app
from forum.extensions import db
from forum.models import Member, Thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--giant", action="store_true", help="the 5,000-reply thread")
    options = parser.parse_args()
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        thread = (
            db.session.scalars(
                select(Thread)
                .where(Thread.reply_count.between(60, 200), Thread.is_private.is_(False))
                .order_by(Thread.id)
            ).first()
            or db.session.scalars(
                select(Thread).order_by(func.abs(Thread.reply_count - GIANT_REPLIES))
            ).first()
        )
        handle = db.session.scalars(
            select(Member.handle)
            .where(Member.handle_key.startswith(HANDLE_PREFIX), Member.role == "member")
            .order_by(Member.id.desc())
        ).first()
        thread_id, slug = thread.id, thread.board.slug
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    client = app.test_client()
    client.post("/login", data={"handle": handle, "password": BENCH_PASSWORD})
    pages = {
        "member thread page": f"/t/{thread_id}",
        "member board page": f"/b/{slug}",
        "member home": "/",
    }
    for label, path in pages.items():
        print(f"{label}: {timed(lambda path=path: client.get(path), options.requests, statements)}")
    counter = iter(range(10**9))

    def reply_cycle():
        client.get(f"/t/{thread_id}")
        number = next(counter)
        response = client.post(f"/t/{thread_id}/reply", data={"body": f"Thank you ({number})"})
        client.get(response.headers["Location"], follow_redirects=True)

    print(
        f"reply cycle (open, post, follow): {timed(reply_cycle, options.requests // 2, statements)}"
    )
    if options.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            client.get(f"/t/{thread_id}")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def timed(call, count: int, statements: list) -> str:
    for _ in range(3):
        call()
    statements.clear()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        call()
    elapsed = (time.perf_counter() - started) / count * 1000
    cpu = (time.process_time() - cpu) / count * 1000
    # CPU time is the sturdier figure on a shared machine (wall time includes waiting).
    return f"{cpu:.1f} ms CPU ({elapsed:.1f} ms wall), {len(statements) / count:.1f} statements"


if __name__ == "__main__":
    os.environ.setdefault("FORUM_RATELIMITS", "off")
    main()
