"""Read side of threads: one page of a reply tree, and where a post sits, in fixed queries."""

import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.display import PostView, post_view
from forum.extensions import db
from forum.models import Post, Thread

POSTS_PER_PAGE = 50


@dataclass(frozen=True)
class ThreadPage:
    """One page of a thread in tree order."""

    posts: list[PostView]
    number: int
    count: int


def _with_bylines(statement):
    """Load each post's author and alias in the same query (no N+1)."""
    return statement.options(joinedload(Post.author), joinedload(Post.alias))


def count_pages(thread: Thread) -> int:
    """How many pages the thread has (at least one), from its kept reply counter."""
    return max(1, math.ceil((thread.reply_count + 1) / POSTS_PER_PAGE))


def thread_page(thread: Thread, number: int, viewer) -> ThreadPage | None:
    """Page ``number`` (from 1) of the thread, or None when there is no such page.

    At most two queries whatever the thread's size: the page's posts by the (thread_id, path)
    index, and the parents of replies whose parent is not on this page.
    """
    pages = count_pages(thread)
    if number < 1 or number > pages:
        return None
    posts = list(
        db.session.execute(
            _with_bylines(select(Post))
            .where(Post.thread_id == thread.id)
            .order_by(Post.path)
            .offset((number - 1) * POSTS_PER_PAGE)
            .limit(POSTS_PER_PAGE)
        ).scalars()
    )
    parents = _parents_of(posts)
    views = [
        post_view(post, viewer, opening_post_id=thread.first_post_id, parents=parents)
        for post in posts
    ]
    return ThreadPage(posts=views, number=number, count=pages)


def _parents_of(posts: list[Post]) -> dict[int, Post]:
    """Parents of ``posts``: those on the page, plus the missing ones in one query."""
    by_id = {post.id: post for post in posts}
    missing = {post.parent_id for post in posts if post.parent_id and post.parent_id not in by_id}
    if missing:
        loaded = db.session.execute(_with_bylines(select(Post)).where(Post.id.in_(missing)))
        by_id.update({post.id: post for post in loaded.scalars()})
    return by_id


def page_of_post(post: Post) -> int:
    """The page of its thread on which ``post`` appears (counted on the path index)."""
    before = db.session.execute(
        select(func.count())
        .select_from(Post)
        .where(Post.thread_id == post.thread_id, Post.path < post.path)
    ).scalar_one()
    return before // POSTS_PER_PAGE + 1


def single_post_view(post: Post, viewer) -> PostView:
    """One post shown on its own (above a reply form, on a confirmation page)."""
    parents = _parents_of([post])
    return post_view(post, viewer, opening_post_id=post.thread.first_post_id, parents=parents)
