"""A member's public posts, newest first, keyset-paged. Anonymous posts never appear."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, tuple_
from sqlalchemy.orm import joinedload

from forum.display import PostView, post_view
from forum.extensions import db
from forum.models import Member, Post, Thread
from forum.models.posts import PUBLISHED
from forum.paging import decode_cursor, encode_cursor

POSTS_PER_PAGE = 20


@dataclass(frozen=True)
class ProfilePost:
    thread_title: str
    post: PostView


@dataclass(frozen=True)
class ProfilePosts:
    posts: list[ProfilePost]
    next_cursor: str | None


def public_posts(member: Member, viewer, cursor: str | None = None) -> ProfilePosts:
    """The member's signed (non-anonymous, not deleted) posts on the index
    (author_id, is_anonymous, created_at, id)."""
    statement = (
        select(Post)
        .where(
            Post.author_id == member.id,
            Post.is_anonymous.is_(False),
            Post.deleted_at.is_(None),
            Post.state == PUBLISHED,
            Post.thread.has(and_(Thread.is_private.is_(False), Thread.held.is_(False))),
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
        .options(joinedload(Post.thread))
        .limit(POSTS_PER_PAGE + 1)
    )
    if cursor:
        moment, post_id = decode_cursor(cursor, datetime, int)
        statement = statement.where(tuple_(Post.created_at, Post.id) < tuple_(moment, post_id))
    posts = list(db.session.execute(statement).scalars())
    has_more = len(posts) > POSTS_PER_PAGE
    posts = posts[:POSTS_PER_PAGE]
    last = posts[-1] if posts else None
    return ProfilePosts(
        posts=[
            ProfilePost(
                post.thread.title, post_view(post, viewer, opening_post_id=None, parents={})
            )
            for post in posts
        ],
        next_cursor=encode_cursor(last.created_at, last.id) if has_more and last else None,
    )
