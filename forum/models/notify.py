"""Watching threads and boards, and where each member stopped reading each thread."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import utcnow


class ThreadWatch(db.Model):
    """A member follows a thread: new replies notify them."""

    __tablename__ = "thread_watches"
    __table_args__ = (
        UniqueConstraint("member_id", "thread_id"),
        Index("ix_thread_watches_thread", "thread_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BoardWatch(db.Model):
    """A member follows a board: new threads there notify them."""

    __tablename__ = "board_watches"
    __table_args__ = (
        UniqueConstraint("member_id", "board_id"),
        Index("ix_board_watches_board", "board_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReadState(db.Model):
    """How far a member has read a thread: the newest post id they have seen.

    One row per member and thread (not one per post read); posts with a larger id are
    unread. Post ids only grow, so "newer than what I saw" is a range on an index.
    """

    __tablename__ = "read_states"
    __table_args__ = (UniqueConstraint("member_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    last_read_post_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
