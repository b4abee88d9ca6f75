"""Long threads: one page of a 5,000-reply tree loads in a fixed number of queries."""

import re

from sqlalchemy import insert, update

from forum.extensions import db
from forum.models import Post, Thread, utcnow
from forum.threads.queries import POSTS_PER_PAGE
from forum.threads.tree import path_for_reply
from tests.factories import make_member, make_thread

REPLIES = 5_000


def build_big_thread(app) -> tuple[int, list[int]]:
    """A thread of 5,000 replies in a realistic tree (bulk-inserted for speed)."""
    with app.app_context():
        author = make_member("prolific")
        thread = make_thread(author, title="A very long conversation")
        now = utcnow()
        rows, paths = [], {}
        for sequence in range(1, REPLIES + 1):
            # Every fifth reply answers the reply before it; the rest answer the thread.
            parent_sequence = sequence - 1 if sequence % 5 == 0 else None
            parent_path = paths.get(parent_sequence)
            path = path_for_reply(parent_path, sequence)
            paths[sequence] = path
            rows.append(
                {
                    "thread_id": thread.id,
                    "author_id": author.id,
                    "path": path,
                    "depth": path.count("."),
                    "body_source": f"reply {sequence}",
                    "body_html": f"<p>reply {sequence}</p>",
                    "render_version": 1,
                    "created_at": now,
                    "is_anonymous": False,
                }
            )
        db.session.execute(insert(Post), rows)
        db.session.execute(
            update(Thread)
            .where(Thread.id == thread.id)
            .values(reply_count=REPLIES, post_seq=REPLIES)
        )
        db.session.commit()
        return thread.id


def test_a_middle_page_of_a_huge_thread_loads_one_page_in_few_queries(app, client, count_queries):
    thread_id = build_big_thread(app)
    with count_queries() as counter:
        response = client.get(f"/t/{thread_id}?page=50")
    text = response.get_data(as_text=True)
    shown = re.findall(r'<article class="post depth-\d', text)
    assert len(shown) == POSTS_PER_PAGE
    assert f"Page 50 of {(REPLIES + 1 + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE}" in text
    assert counter.count <= 4, counter.statements  # thread, page of posts, missing parents


def test_query_count_does_not_grow_with_the_page_number(app, client, count_queries):
    thread_id = build_big_thread(app)
    counts = []
    for page in (1, 2, 60, 101):
        with count_queries() as counter:
            assert client.get(f"/t/{thread_id}?page={page}").status_code == 200
        counts.append(counter.count)
    assert 2 <= max(counts) <= 4, counts


def test_permalink_of_a_late_reply_finds_its_page(app, client):
    thread_id = build_big_thread(app)
    with app.app_context():
        post_id = db.session.execute(
            db.select(Post.id).filter_by(thread_id=thread_id, body_source="reply 4990")
        ).scalar_one()
    location = client.get(f"/p/{post_id}").headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "<p>reply 4990</p>" in page
    assert f'id="p{post_id}"' in page
