"""Fetch-or-404 helpers shared by the views."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Board, Member, Post, Thread


def get_board_or_404(slug: str) -> Board:
    board = db.session.execute(select(Board).filter_by(slug=slug)).scalar_one_or_none()
    return board if board is not None else abort(404)


def get_thread_or_404(thread_id: int) -> Thread:
    thread = db.session.execute(
        select(Thread).filter_by(id=thread_id).options(joinedload(Thread.board))
    ).scalar_one_or_none()
    return thread if thread is not None else abort(404)


def get_post_or_404(post_id: int) -> Post:
    post = db.session.execute(
        select(Post).filter_by(id=post_id).options(joinedload(Post.thread))
    ).scalar_one_or_none()
    return post if post is not None else abort(404)


def get_member_by_handle_or_404(handle: str) -> Member:
    member = db.session.execute(
        select(Member).filter_by(handle_key=handle.lower())
    ).scalar_one_or_none()
    return member if member is not None else abort(404)
