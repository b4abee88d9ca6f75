"""Read side of boards: the board index and a board's thread list, keyset-paged."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import joinedload

from forum.display import Byline, ThreadRow, shown_byline, thread_row, thread_row_options
from forum.extensions import db
from forum.models import Board, Post, Thread
from forum.notify.unread import unread_counts
from forum.paging import decode_cursor, encode_cursor
from forum.policy import is_member, is_moderator

THREADS_PER_PAGE = 30


@dataclass(frozen=True)
class BoardSummary:
    """A board on the index page."""

    board: Board
    last_byline: Byline | None
    last_thread_title: str | None
    last_post_id: int | None
    muted: bool = False


@dataclass(frozen=True)
class ThreadList:
    """One page of a board's threads, and the cursor of the next page (None on the last)."""

    rows: list[ThreadRow]
    next_cursor: str | None


def board_index(muted: set[int] = frozenset()) -> list[BoardSummary]:
    """Every board in order with its latest post's byline: two queries in all."""
    boards = list(
        db.session.execute(
            select(Board).where(Board.archived.is_(False)).order_by(Board.position, Board.id)
        ).scalars()
    )
    last_ids = [board.last_post_id for board in boards if board.last_post_id]
    posts = {}
    if last_ids:
        loaded = db.session.execute(
            select(Post)
            .where(Post.id.in_(last_ids))
            .options(joinedload(Post.author), joinedload(Post.alias), joinedload(Post.thread))
        ).scalars()
        posts = {post.id: post for post in loaded}
    summaries = []
    for board in boards:
        post = posts.get(board.last_post_id)
        summaries.append(
            BoardSummary(
                board=board,
                last_byline=shown_byline(post),
                last_thread_title=post.thread.title if post else None,
                last_post_id=post.id if post else None,
                muted=board.id in muted,
            )
        )
    return summaries


def board_threads(board: Board, viewer, cursor: str | None = None, page: int = 1) -> ThreadList:
    """A page of threads: pinned first, then by latest activity.

    Paged by keyset on the (board_id, pinned, last_activity_at, id) index, so a deep page
    costs what the first does; ``page`` (OFFSET) stays for plain shallow links.
    """
    statement = (
        select(Thread)
        .where(Thread.board_id == board.id, Thread.is_private.is_(False))
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
        .options(*thread_row_options())
        .limit(THREADS_PER_PAGE + 1)
    )
    if not is_moderator(viewer):
        # Threads waiting for approval show only to their author (and moderators).
        mine = Thread.first_post.has(Post.author_id == viewer.id) if is_member(viewer) else None
        statement = statement.where(
            Thread.held.is_(False) if mine is None else or_(Thread.held.is_(False), mine)
        )
    if cursor:
        pinned, moment, thread_id = decode_cursor(cursor, bool, datetime, int)
        position = tuple_(Thread.pinned, Thread.last_activity_at, Thread.id)
        statement = statement.where(position < tuple_(pinned, moment, thread_id))
    elif page > 1:
        statement = statement.offset((page - 1) * THREADS_PER_PAGE)
    threads = list(db.session.execute(statement).unique().scalars())
    has_more = len(threads) > THREADS_PER_PAGE
    threads = threads[:THREADS_PER_PAGE]
    unread = unread_counts(viewer, [thread.id for thread in threads])
    return ThreadList(
        rows=[thread_row(thread, unread.get(thread.id, False)) for thread in threads],
        next_cursor=_cursor_after(threads[-1]) if has_more else None,
    )


def _cursor_after(thread: Thread) -> str:
    return encode_cursor(thread.pinned, thread.last_activity_at, thread.id)


def all_boards() -> list[Board]:
    """Every board, archived ones too, in order (for moderators choosing where to move)."""
    return list(db.session.execute(select(Board).order_by(Board.position, Board.id)).scalars())
