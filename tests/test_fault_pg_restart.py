"""PostgreSQL restarted mid-load, short version of ``python -m tests.stress.pg_restart``.

A private cluster (never the shared server on 5432) serves gunicorn with 2 workers while two
members post replies; it is stopped (fast) and started again. Only 302s and 503s with the
typed reply are answered, successes resume within seconds, and every acknowledged reply is
stored exactly once. Skipped, saying why, without PostgreSQL's binaries or gunicorn.
"""

import pytest

from tests.stress.harness import Unavailable


def test_postgres_restart_mid_load_gives_503s_then_posts_again_none_lost():
    pytest.importorskip("gunicorn")
    from tests.stress import pg_restart

    try:
        seen = pg_restart.run(clients=2, seconds=6, out=lambda _line: None)
    except Unavailable as error:
        pytest.skip(str(error))
    assert seen["acknowledged"] > 0
    assert set(seen["statuses"]) <= {"302", "503"}
    assert seen["first_success_after_up_s"] < pg_restart.BACK_WITHIN_SECONDS
