"""Short runs of tests/stress/load.py: members replying through 4 gunicorn workers lose no
acknowledged post and make no duplicate.

SIGKILLed workers (``--kill-every-ms``, make stress) are not in the suite yet: a short run
sometimes answers a reply POST with 200 instead of the redirect (under investigation)."""

from tests.stress import load


def assert_nothing_lost(result):
    assert result.problems == [], result.summary()
    assert len(result.acknowledged) > 10
    assert set(result.statuses) == {302}, result.summary()


def test_ten_members_for_eight_seconds_on_sqlite():
    assert_nothing_lost(load.run(members=10, seconds=8))
