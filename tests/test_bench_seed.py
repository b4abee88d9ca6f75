"""``python -m bench.seed``: a believable forum with consistent counters, written in seconds."""

import random
import time
from statistics import median

import pytest
from sqlalchemy import func, select

from bench.seed import BENCH_PASSWORD, GIANT_REPLIES, seed_bench, thread_sizes
from forum.extensions import db
from forum.models import Board, Member, ModerationItem, Post, Thread, ThreadAlias
from forum.search.schema import postgres_index, sqlite_index
from forum.threads.tree import OPENING_PATH, depth_of

POSTS = 2_000


@pytest.fixture
def seeded(app):
    """Seed 2,000 posts; yields how long it took."""
    with app.app_context():
        started = time.perf_counter()
        seed_bench(POSTS, seed=7, batch=500, echo=lambda *_: None)
        elapsed = time.perf_counter() - started
        db.session.remove()
    return elapsed


def test_seeding_two_thousand_posts_takes_a_few_seconds(app, seeded):
    assert seeded < 10
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == POSTS
        assert db.session.scalar(select(func.count()).select_from(Member)) >= POSTS // 50


def test_thread_counters_match_their_posts(app, seeded):
    with app.app_context():
        facts = db.session.execute(
            select(
                Post.thread_id,
                func.count(),
                func.min(Post.id),
                func.max(Post.id),
                func.max(Post.created_at),
            ).group_by(Post.thread_id)
        ).all()
        threads = {thread.id: thread for thread in db.session.scalars(select(Thread))}
        assert len(facts) == len(threads)
        for thread_id, count, first_id, last_id, last_at in facts:
            thread = threads[thread_id]
            assert thread.reply_count == thread.post_seq == count - 1
            assert (thread.first_post_id, thread.last_post_id) == (first_id, last_id)
            assert thread.last_activity_at == last_at
            opening = db.session.get(Post, first_id)
            assert opening.path == OPENING_PATH
            others = db.session.scalar(
                select(func.min(Post.created_at)).where(
                    Post.thread_id == thread_id, Post.author_id != opening.author_id
                )
            )
            assert thread.answered_at == others


def test_board_and_member_counters_match_their_posts(app, seeded):
    with app.app_context():
        for board in db.session.scalars(select(Board)):
            in_board = (
                select(Post).join(Thread, Thread.id == Post.thread_id).filter_by(board_id=board.id)
            )
            posts = db.session.scalar(select(func.count()).select_from(in_board.subquery()))
            threads = db.session.scalar(select(func.count()).where(Thread.board_id == board.id))
            newest = db.session.scalar(select(func.max(in_board.subquery().c.id)))
            assert (board.thread_count, board.post_count) == (threads, posts)
            assert board.last_post_id == newest
        written = dict(
            db.session.execute(select(Post.author_id, func.count()).group_by(Post.author_id)).all()
        )
        for member in db.session.scalars(select(Member)):
            assert member.approved_posts == written.get(member.id, 0)


def test_reply_trees_aliases_and_moderation_queue_are_believable(app, seeded):
    with app.app_context():
        posts = {post.id: post for post in db.session.scalars(select(Post))}
        for post in posts.values():
            assert post.depth == depth_of(post.path)
            if post.parent_id is not None:
                assert post.path.startswith(posts[post.parent_id].path.rsplit(".", 1)[0])
                assert post.path > posts[post.parent_id].path
        assert max(post.depth for post in posts.values()) >= 5
        anonymous = [post for post in posts.values() if post.is_anonymous]
        assert 0.05 < len(anonymous) / POSTS < 0.15
        for post in anonymous:
            alias = db.session.get(ThreadAlias, post.alias_id)
            assert (alias.thread_id, alias.member_id) == (post.thread_id, post.author_id)
        assert db.session.scalar(select(func.count()).select_from(ModerationItem)) >= 1
        index = sqlite_index if db.engine.dialect.name == "sqlite" else postgres_index
        assert db.session.scalar(select(func.count()).select_from(index)) == POSTS


def test_thread_sizes_have_a_long_tail(app, seeded):
    with app.app_context():
        replies = list(db.session.scalars(select(Thread.reply_count)))
    assert median(replies) <= 3
    assert max(replies) >= 20 * max(median(replies), 1)


def test_large_seeds_have_a_five_thousand_reply_thread_and_are_deterministic():
    sizes = thread_sizes(random.Random(3), 10_000)
    assert max(sizes) >= GIANT_REPLIES
    assert sum(size + 1 for size in sizes) == 10_000
    assert sizes == thread_sizes(random.Random(3), 10_000)


def test_seeded_pages_render_and_members_can_log_in(app, seeded, client, login_as):
    with app.app_context():
        thread = db.session.scalars(select(Thread).order_by(Thread.reply_count.desc())).first()
        opening = db.session.get(Post, thread.first_post_id)
        board = db.session.get(Board, thread.board_id)
        member = db.session.scalars(select(Member).order_by(Member.id.desc())).first()
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert thread.title in page
    assert opening.body_html in page
    listing = client.get(f"/b/{board.slug}").get_data(as_text=True)
    assert thread.title in listing
    logged_in = login_as(member.handle, BENCH_PASSWORD)
    assert logged_in.get(f"/b/{board.slug}").status_code == 200
