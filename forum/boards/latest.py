"""The board index's latest threads: every board's threads in one list, latest activity first."""

from dataclasses import dataclass

from sqlalchemy import or_, select

from forum.display import ThreadRow, thread_row, thread_row_options
from forum.extensions import db
from forum.models import Board, Post, Thread
from forum.notify.unread import unread_counts
from forum.policy import is_member, is_moderator

LATEST_THREADS = 10


@dataclass(frozen=True)
class LatestThread:
    """A line of the latest threads: the board list's row, and the board it is on."""

    row: ThreadRow
    board: Board


def listed_to(viewer):
    """What a thread list may show ``viewer``: never a private conversation, and a thread
    waiting for approval only to its author and the moderators (as on a board's own page)."""
    shown = Thread.is_private.is_(False)
    if is_moderator(viewer):
        return shown
    if is_member(viewer):
        mine = Thread.first_post.has(Post.author_id == viewer.id)
        return shown & or_(Thread.held.is_(False), mine)
    return shown & Thread.held.is_(False)


def latest_threads(viewer, boards: list[Board], limit: int = LATEST_THREADS) -> list[LatestThread]:
    """The ``limit`` threads of ``boards`` with the latest activity that ``viewer`` may see.

    One query, read backwards along the ``(last_activity_at, id)`` index whatever the number
    of threads, plus a member's unread counts (two). ``boards`` are those the page lists (not
    archived, not muted by the viewer), already loaded, so naming them costs nothing.
    """
    by_id = {board.id: board for board in boards}
    if not by_id:
        return []
    threads = list(
        db.session.execute(
            select(Thread)
            .where(Thread.board_id.in_(list(by_id)), listed_to(viewer))
            .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
            .options(*thread_row_options())
            .limit(limit)
        )
        .unique()
        .scalars()
    )
    unread = unread_counts(viewer, [thread.id for thread in threads])
    return [
        LatestThread(
            row=thread_row(thread, unread.get(thread.id, False)), board=by_id[thread.board_id]
        )
        for thread in threads
    ]
