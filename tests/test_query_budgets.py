"""Query budgets: every page type runs the same number of SQL statements whatever the
amount of data behind it (no N+1), for a lurker and for a member."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Thread
from tests.factories import make_member, make_reply, make_thread


def grow(app, replies: int, threads: int) -> dict:
    """A forum with ``threads`` threads and a thread of ``replies`` replies (mixed authors,
    anonymous posts, nested replies, reactions)."""
    with app.app_context():
        members = [make_member(f"member_{n}") for n in range(4)]
        big = make_thread(members[0], title="The big thread", slug="anxiety")
        parent = None
        for n in range(replies):
            post = make_reply(
                members[n % 4], big, f"reply {n} about sleep", parent=parent, anonymous=n % 3 == 0
            )
            parent = post if n % 5 else None
        for n in range(threads):
            make_thread(
                members[n % 4],
                title=f"Thread {n} about sleep",
                slug="anxiety",
                anonymous=n % 2 == 0,
            )
        return {
            "thread": big.id,
            "post": db.session.execute(select(Thread.last_post_id).filter_by(id=big.id)).scalar(),
        }


PAGES = [
    "/",
    "/b/anxiety",
    "/t/{thread}",
    "/t/{thread}?page=2",
    "/u/member_1",
    "/search?q=sleep",
    "/feed.atom",
    "/b/anxiety/feed.atom",
    "/t/{thread}/feed.atom",
]
MEMBER_PAGES = PAGES + ["/notifications", "/settings", "/drafts"]


def measure(app, client, count_queries, ids, pages) -> dict[str, int]:
    counts = {}
    for page in pages:  # a first visit of everything creates read marks; count repeat visits
        client.get(page.format(**ids))
    for page in pages:
        url = page.format(**ids)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code in (200, 404), url
        counts[page] = counter.count
    return counts


@pytest.mark.parametrize("who", ["lurker", "member"])
def test_page_queries_do_not_grow_with_the_data(app, count_queries, login_as, who):
    small_ids = grow(app, replies=60, threads=3)
    pages = PAGES if who == "lurker" else MEMBER_PAGES
    client = app.test_client() if who == "lurker" else login_as("member_1")
    small = measure(app, client, count_queries, small_ids, pages)
    with app.app_context():
        extra = make_member("extra_writer")
        big = db.session.get(Thread, small_ids["thread"])
        for n in range(60):
            make_reply(extra, big, f"more {n} about sleep", anonymous=n % 2 == 1)
        for n in range(25):
            make_thread(extra, title=f"Another {n} about sleep", slug="anxiety")
    large = measure(app, client, count_queries, small_ids, pages)
    assert large == small
    # A member's thread page is the busiest: the page, reactions, blocks, alias, draft,
    # watch, unread notifications, the header's drafts count and the read mark.
    assert all(count <= 20 for count in large.values()), large
