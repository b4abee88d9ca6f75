"""Read side of threads: one page of a reply tree, and where a post sits, in fixed queries."""

import math
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from forum.display import PostView, post_view
from forum.extensions import db
from forum.models import Post, Thread
from forum.models.posts import UNPUBLISHED_STATES
from forum.policy import is_member, is_moderator
from forum.reader import reader_context, reader_of

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


def visible_to(viewer):
    """The SQL condition for the posts ``viewer`` may know about (None: all of them).

    Held and rejected posts exist only for their author and the moderators; every other post
    keeps its place in the tree, as itself or as a placeholder.
    """
    if is_moderator(viewer):
        return None
    public = Post.state.not_in(UNPUBLISHED_STATES)
    return or_(public, Post.author_id == viewer.id) if is_member(viewer) else public


def _visible(statement, viewer):
    condition = visible_to(viewer)
    return statement if condition is None else statement.where(condition)


def count_pages(thread: Thread, viewer) -> int:
    """How many pages the thread has for ``viewer`` (at least one).

    Readers without an account need no query: the kept counter of published replies is theirs.
    A member sees those plus their own posts still held (or rejected): the counter and one
    count on the author index, not a count of the whole thread (6 ms for 5,000 replies).
    Moderators see every post: they count them.
    """
    if not is_member(viewer):
        total = thread.reply_count + 1
    elif not is_moderator(viewer):
        total = thread.reply_count + (0 if thread.held else 1) + _own_unpublished(thread, viewer)
    else:
        total = db.session.execute(
            select(func.count()).select_from(Post).where(Post.thread_id == thread.id)
        ).scalar_one()
    return max(1, math.ceil(total / POSTS_PER_PAGE))


def _own_unpublished(thread: Thread, member) -> int:
    """The member's posts in ``thread`` that only they and the moderators see (on the
    author index: a member has few posts in a thread, a thread may have thousands)."""
    return db.session.execute(
        select(func.count())
        .select_from(Post)
        .where(
            Post.author_id == member.id,
            Post.thread_id == thread.id,
            Post.state.in_(UNPUBLISHED_STATES),
        )
    ).scalar_one()


def thread_page(thread: Thread, number: int, viewer) -> ThreadPage | None:
    """Page ``number`` (from 1) of the thread, or None when there is no such page.

    At most three queries whatever the thread's size: the count (members only), the page's
    posts by the (thread_id, path) index, and the parents of replies not on this page.
    """
    pages = count_pages(thread, viewer)
    if number < 1 or number > pages:
        return None
    posts = list(
        db.session.execute(
            _visible(_with_bylines(select(Post)), viewer)
            .where(Post.thread_id == thread.id)
            .order_by(Post.path)
            .offset((number - 1) * POSTS_PER_PAGE)
            .limit(POSTS_PER_PAGE)
        ).scalars()
    )
    parents = _parents_of(posts)
    context = reader_context(viewer, posts)
    reader, opening_post_id = reader_of(viewer), thread.first_post_id
    views = [
        post_view(post, reader, opening_post_id=opening_post_id, parents=parents, context=context)
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


def page_of_post(post: Post, viewer) -> int:
    """The page of its thread on which ``post`` appears for ``viewer`` (on the path index)."""
    before = db.session.execute(
        _visible(select(func.count()).select_from(Post), viewer).where(
            Post.thread_id == post.thread_id, Post.path < post.path
        )
    ).scalar_one()
    return before // POSTS_PER_PAGE + 1


def single_post_view(post: Post, viewer) -> PostView:
    """One post shown on its own (above a reply form, on a confirmation page)."""
    parents = _parents_of([post])
    return post_view(
        post,
        viewer,
        opening_post_id=post.thread.first_post_id,
        parents=parents,
        context=reader_context(viewer, [post]),
    )
