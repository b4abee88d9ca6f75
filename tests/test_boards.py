"""The board index and board pages: counts, latest activity, order and keyset paging."""

import re
from datetime import timedelta

from sqlalchemy import update

from forum.boards.queries import THREADS_PER_PAGE
from forum.extensions import db
from forum.models import Thread, utcnow
from tests.factories import make_member, make_reply, make_thread
from tests.helpers import walk_pages


def titles(text: str) -> list[str]:
    return re.findall(r'<h2 class="thread-title">.*?<a href="[^"]+">([^<]+)</a></h2>', text)


def test_index_lists_default_boards_in_order_with_descriptions(client):
    text = client.get("/").get_data(as_text=True)
    names = re.findall(r'<h2><a href="/b/[^"]+">([^<]+)</a></h2>', text)
    assert names == [
        "Introductions",
        "Depression",
        "Anxiety",
        "Grief &amp; Loss",
        "Trauma",
        "Coping Strategies",
        "Small Wins",
        "Off-topic",
    ]
    assert "Every step counts here." in text
    assert "no posts yet" in text


def test_index_shows_counts_and_who_posted_last(app, client):
    with app.app_context():
        alice, bob = make_member("alice"), make_member("bob_b")
        thread = make_thread(alice, title="Hello there", slug="introductions")
        make_reply(bob, thread, "Welcome!")
    text = client.get("/").get_data(as_text=True)
    intro = text[text.index("Introductions") : text.index("Depression")]
    assert "1 thread" in intro and "2 posts" in intro
    assert "Hello there" in intro
    assert 'href="/u/bob_b">bob_b</a>' in intro
    assert "just now" in intro


def test_board_lists_pinned_first_then_latest_activity(app, client):
    with app.app_context():
        alice = make_member("alice")
        old = make_thread(alice, title="Old but active")
        make_thread(alice, title="Newer quiet thread")
        pinned = make_thread(alice, title="Read this first")
        db.session.execute(
            update(Thread)
            .where(Thread.id == pinned.id)
            .values(pinned=True, last_activity_at=utcnow() - timedelta(days=30))
        )
        db.session.commit()
        make_reply(alice, db.session.get(Thread, old.id), "bump")
    text = client.get("/b/depression").get_data(as_text=True)
    assert titles(text) == ["Read this first", "Old but active", "Newer quiet thread"]
    assert "Pinned" in text


def test_board_pages_walk_every_thread_once_with_a_cursor(app, client):
    with app.app_context():
        alice = make_member("alice")
        start = utcnow() - timedelta(days=10)
        for n in range(THREADS_PER_PAGE * 2 + 5):
            thread = make_thread(alice, title=f"Thread number {n:03d}")
            db.session.execute(
                update(Thread)
                .where(Thread.id == thread.id)
                .values(last_activity_at=start + timedelta(minutes=n // 2))
            )
        db.session.commit()
    seen = walk_pages(client, "/b/depression", "Older threads", titles)
    assert len(seen) == len(set(seen)) == THREADS_PER_PAGE * 2 + 5
    assert seen[0] == "Thread number 064"  # ties on time are broken by id, newest first
    assert seen[-1] == "Thread number 000"


def test_page_parameter_still_works_for_plain_links(app, client):
    with app.app_context():
        alice = make_member("alice")
        for n in range(THREADS_PER_PAGE + 3):
            make_thread(alice, title=f"Thread {n:03d}")
    second = titles(client.get("/b/depression?page=2").get_data(as_text=True))
    assert len(second) == 3


def test_board_page_runs_a_constant_number_of_queries(app, client, count_queries):
    with app.app_context():
        members = [make_member(f"member_{n}") for n in range(5)]
        for n in range(THREADS_PER_PAGE):
            thread = make_thread(members[n % 5], title=f"Thread {n}", anonymous=n % 2 == 0)
            make_reply(members[(n + 1) % 5], thread, "reply", anonymous=n % 3 == 0)
    with count_queries() as counter:
        client.get("/b/depression")
    assert 2 <= counter.count <= 3, counter.statements  # page-cache version check + list


def test_board_listing_uses_its_index(app):
    with app.app_context():
        plan = (
            db.session.execute(
                db.text(
                    "EXPLAIN QUERY PLAN SELECT id FROM threads WHERE board_id = 1 AND "
                    "(pinned, last_activity_at, id) < (0, '2030-01-01', 5) "
                    "ORDER BY pinned DESC, last_activity_at DESC, id DESC LIMIT 31"
                )
            ).all()
            if db.engine.dialect.name == "sqlite"
            else []
        )
    details = " ".join(str(row[-1]) for row in plan)
    if plan:
        assert "ix_threads_board_listing" in details
        assert "TEMP B-TREE" not in details


def test_unknown_board_is_a_404(client):
    assert client.get("/b/not-a-board").status_code == 404
