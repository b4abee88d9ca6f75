"""No post left unanswered: threads whose opening post still waits for a first reply."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, tuple_

from forum.display import ThreadRow, thread_row, thread_row_options
from forum.extensions import db
from forum.models import Board, Post, Thread, utcnow
from forum.models.posts import PUBLISHED
from forum.paging import decode_cursor, encode_cursor

PER_PAGE = 30


@dataclass(frozen=True)
class WaitingPage:
    rows: list[ThreadRow]
    next_cursor: str | None


def waiting_threads(muted: set[int], cursor: str | None = None) -> WaitingPage:
    """Public threads older than FORUM_UNANSWERED_HOURS with no reply from anyone else yet,
    oldest first, leaving out threads whose author opted out and muted boards.
    Keyset-paged on the (answered_at, created_at) index."""
    hours = current_app.config["FORUM_UNANSWERED_HOURS"]
    statement = (
        select(Thread)
        .join(Board, Board.id == Thread.board_id)
        .join(Post, Post.id == Thread.first_post_id)
        .where(
            Thread.answered_at.is_(None),
            Thread.created_at <= utcnow() - timedelta(hours=hours),
            Thread.no_reply_wanted.is_(False),
            Thread.held.is_(False),
            Thread.is_private.is_(False),
            Thread.locked.is_(False),
            Board.archived.is_(False),
            Post.deleted_at.is_(None),
            Post.state == PUBLISHED,
        )
        .order_by(Thread.created_at, Thread.id)
        .options(*thread_row_options())
        .limit(PER_PAGE + 1)
    )
    if muted:
        statement = statement.where(Thread.board_id.not_in(muted))
    if cursor:
        moment, thread_id = decode_cursor(cursor, datetime, int)
        statement = statement.where(
            tuple_(Thread.created_at, Thread.id) > tuple_(moment, thread_id)
        )
    threads = list(db.session.execute(statement).unique().scalars())
    more = len(threads) > PER_PAGE
    threads = threads[:PER_PAGE]
    return WaitingPage(
        rows=[thread_row(thread) for thread in threads],
        next_cursor=encode_cursor(threads[-1].created_at, threads[-1].id) if more else None,
    )
