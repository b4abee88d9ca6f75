"""Unread tracking: the newest post each member has seen in each thread, one row per thread.

Reading a page of a thread moves the mark forward; board lists count the posts past it; "jump
to first unread" finds the earliest unread post in tree order. Every answer is an indexed
range, whatever the thread's size.
"""

from sqlalchemy import func, select

from forum.database import write_transaction
from forum.extensions import db
from forum.models import Post, ReadState, Thread, utcnow
from forum.models.posts import UNPUBLISHED_STATES
from forum.policy import is_member


def mark_read(member, thread: Thread, newest_seen: int) -> None:
    """Move the member's mark in ``thread`` up to ``newest_seen`` (never back).

    Called after a page view has read what it shows, so it commits its own short write; a
    page read again (the mark already there) writes nothing, so re-reading takes no write
    lock (on SQLite, one writer at a time for the whole database).
    """
    if not is_member(member) or not newest_seen:
        return
    member_id, thread_id = member.id, thread.id  # read before the commit expires them
    mark = select(ReadState.last_read_post_id).filter_by(member_id=member_id, thread_id=thread_id)
    seen = db.session.execute(mark).scalar_one_or_none()
    if seen is not None and seen >= newest_seen:
        return
    db.session.commit()
    with write_transaction():
        state = db.session.execute(
            select(ReadState).filter_by(member_id=member_id, thread_id=thread_id)
        ).scalar_one_or_none()
        if state is None:
            db.session.add(
                ReadState(
                    member_id=member_id,
                    thread_id=thread_id,
                    last_read_post_id=newest_seen,
                    updated_at=utcnow(),
                )
            )
        elif newest_seen > state.last_read_post_id:
            state.last_read_post_id, state.updated_at = newest_seen, utcnow()
        db.session.commit()


def unread_counts(member, thread_ids: list[int]) -> dict[int, int | None]:
    """For each thread: how many visible posts the member has not read, or None when they
    never opened it. Two queries for a whole page of threads."""
    if not is_member(member) or not thread_ids:
        return {}
    marks = dict(
        db.session.execute(
            select(ReadState.thread_id, ReadState.last_read_post_id).where(
                ReadState.member_id == member.id, ReadState.thread_id.in_(thread_ids)
            )
        ).all()
    )
    counts = {thread_id: None for thread_id in thread_ids}
    # Asked even without read marks, so a page's queries stay the same whatever was read.
    rows = db.session.execute(
        select(Post.thread_id, func.count(Post.id))
        .join(
            ReadState, (ReadState.thread_id == Post.thread_id) & (ReadState.member_id == member.id)
        )
        .where(
            Post.thread_id.in_(list(marks)),
            Post.id > ReadState.last_read_post_id,
            Post.state.not_in(UNPUBLISHED_STATES),
            Post.deleted_at.is_(None),
        )
        .group_by(Post.thread_id)
    ).all()
    counts.update({thread_id: 0 for thread_id in marks})
    counts.update(dict(rows))
    return counts


def first_unread_post(member, thread: Thread) -> Post | None:
    """The earliest unread visible post in tree order (None when all is read)."""
    mark = (
        db.session.execute(
            select(ReadState.last_read_post_id).filter_by(member_id=member.id, thread_id=thread.id)
        ).scalar()
        or 0
    )
    return db.session.execute(
        select(Post)
        .where(Post.thread_id == thread.id, Post.id > mark, Post.state.not_in(UNPUBLISHED_STATES))
        .order_by(Post.path)
        .limit(1)
    ).scalar_one_or_none()
