"""Fetch-or-404 helpers shared by the views.

Given a ``viewer``, they also answer 404 for what that viewer may not know exists (held
threads and posts are their author's and the moderators' only, a private conversation its
member's and the moderators').
"""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.conversations import member_id_of
from forum.extensions import db
from forum.models import Board, Member, Post, Thread
from forum.policy import can_see_post, can_see_thread


def get_board_or_404(slug: str) -> Board:
    board = db.session.execute(select(Board).filter_by(slug=slug)).scalar_one_or_none()
    return board if board is not None else abort(404)


def get_thread_or_404(thread_id: int, viewer=None) -> Thread:
    thread = db.session.execute(
        select(Thread)
        .filter_by(id=thread_id)
        .options(joinedload(Thread.board), joinedload(Thread.first_post))
    ).scalar_one_or_none()
    if thread is None:
        abort(404)
    if viewer is not None and not can_see_thread(viewer, thread, member_id_of(thread)):
        abort(404)
    return thread


def get_post_or_404(post_id: int, viewer=None) -> Post:
    """The post, or 404 when ``viewer`` may not know it exists: a held or rejected post, or
    any post of a held thread or of a private thread with the moderators. Every route that
    takes a post id (report, block, react, edit, delete) answers like the permalink does."""
    post = db.session.execute(
        select(Post)
        .filter_by(id=post_id)
        .options(joinedload(Post.thread).joinedload(Thread.first_post))
    ).scalar_one_or_none()
    if post is None:
        abort(404)
    if viewer is None:
        return post
    thread = post.thread
    if not can_see_post(viewer, post) or not can_see_thread(viewer, thread, member_id_of(thread)):
        abort(404)
    return post


def get_member_by_handle_or_404(handle: str) -> Member:
    member = db.session.execute(
        select(Member).filter_by(handle_key=handle.lower())
    ).scalar_one_or_none()
    return member if member is not None else abort(404)
