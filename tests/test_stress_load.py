"""Short runs of tests/stress/load.py: members replying through 4 gunicorn workers lose no
acknowledged post and make no duplicate, on SQLite, with workers SIGKILLed, and on
PostgreSQL. ``make stress`` runs the same for 50 members and 60 seconds."""

import pytest

from forum.care import prepublish
from tests.stress import load
from tests.stress.harness import postgres_is_up, tag


def assert_nothing_lost(result, kills=False):
    assert result.problems == [], result.summary()
    assert len(result.acknowledged) > 10, result.summary()
    assert set(result.statuses) == {302}, result.summary()
    assert result.other_pages == [], result.summary()
    if kills:
        assert result.kills > 0, result.summary()


def test_load_bodies_never_look_like_personal_details():
    """Runs failed (load, PostgreSQL restart) when a random hex tag came out all digits, a
    'phone number' the privacy nudge asks about; every stress run's tags are letters now."""
    for n in range(2000):
        for words in ("a walk helped.", "a walk helped me today.", "still standing."):
            body = f"Reply {n} from member_3_{tag()[:6]}: {words} ({tag()})"
            assert prepublish.review(body, "", "").findings == []


def test_ten_members_for_eight_seconds_on_sqlite():
    assert_nothing_lost(load.run(members=10, seconds=8))


def test_workers_killed_every_400_ms_on_sqlite():
    assert_nothing_lost(load.run(members=10, seconds=8, kill_every_ms=400), kills=True)


@pytest.mark.skipif(not postgres_is_up(), reason="needs PostgreSQL on 127.0.0.1:5432")
def test_workers_killed_every_400_ms_on_postgresql():
    result = load.run(members=10, seconds=8, kill_every_ms=400, database_url="postgresql")
    assert_nothing_lost(result, kills=True)
