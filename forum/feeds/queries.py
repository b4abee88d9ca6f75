"""Read side of the feeds: what a lurker may read, newest first, one query per list.

Feeds are the same for everyone, so they never look at who asks: only published posts that
are not deleted, in threads that are neither private nor waiting for approval.
"""

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from forum.extensions import db
from forum.models import Board, Post, Thread
from forum.models.posts import PUBLISHED
from forum.threads.tree import OPENING_PATH

ENTRIES_PER_FEED = 30


def _public_threads():
    """Threads a lurker may find on a board, with their board and opening post in the row.

    Newest first by id: ids grow with creation, and the primary key orders them for free.
    """
    opening = contains_eager(Thread.first_post)
    return (
        select(Thread)
        .join(Thread.board)
        .join(Post, Post.id == Thread.first_post_id)
        .where(
            Thread.is_private.is_(False),
            Thread.held.is_(False),
            Post.state == PUBLISHED,
            Post.deleted_at.is_(None),
        )
        .options(
            contains_eager(Thread.board),
            opening,
            opening.joinedload(Post.author),
            opening.joinedload(Post.alias),
        )
        .order_by(Thread.id.desc())
        .limit(ENTRIES_PER_FEED)
    )


def newest_threads() -> list[Thread]:
    """The newest public threads across the boards that are not archived (one query)."""
    statement = _public_threads().where(Board.archived.is_(False))
    return list(db.session.execute(statement).unique().scalars())


def newest_board_threads(board: Board) -> list[Thread]:
    """The newest public threads of ``board`` (one query)."""
    statement = _public_threads().where(Thread.board_id == board.id)
    return list(db.session.execute(statement).unique().scalars())


def newest_replies(thread: Thread) -> list[Post]:
    """The newest published replies of ``thread``, on the (thread_id, id) index (one query)."""
    statement = (
        select(Post)
        .where(
            Post.thread_id == thread.id,
            Post.path != OPENING_PATH,
            Post.state == PUBLISHED,
            Post.deleted_at.is_(None),
        )
        .options(joinedload(Post.author), joinedload(Post.alias))
        .order_by(Post.id.desc())
        .limit(ENTRIES_PER_FEED)
    )
    return list(db.session.execute(statement).unique().scalars())
