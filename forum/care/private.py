"""Private conversations between a member and the moderators: opened by the member (from a
crisis interstitial, /crisis or any board) or by a moderator writing to them; never listed on
a board, visible to that member and the moderators only (see forum.conversations)."""

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError

from forum.conversations import MESSAGE
from forum.extensions import db
from forum.models import Board, Member, ModerationEvent, Post, Thread, ThreadAlias
from forum.models.moderation import ITEM_PRIVATE
from forum.notify.unread import unread_counts
from forum.paging import decode_cursor, encode_cursor
from forum.queue import open_item
from forum.threads.services import create_thread, post_for_key

PRIVATE_TITLE = "Talking to the moderators"
CONVERSATIONS_PER_PAGE = 25


def open_private_thread(
    member: Member,
    board: Board,
    title: str | None,
    body: str,
    warning=None,
    submission_key: str | None = None,
) -> Thread:
    """Start a private thread; moderators find it at the top of their "Private" tab. A second
    submit of the same form (its submission key), even at the same moment in another worker,
    gets the thread the first one opened instead of a second one (a savepoint takes the
    race: the unique key on author and submission key decides)."""
    earlier = post_for_key(member, submission_key)
    if earlier is not None:
        return earlier.thread
    title = (title or "").strip() or PRIVATE_TITLE
    try:
        with db.session.begin_nested():
            thread, post = create_thread(
                member,
                board,
                title,
                body,
                False,
                warning,
                private=True,
                submission_key=submission_key,
            )
            open_item(post, ITEM_PRIVATE, priority=True)
    except IntegrityError:
        earlier = post_for_key(member, submission_key)
        if earlier is None:
            raise
        return earlier.thread
    return thread


def open_conversation(
    moderator: Member, member: Member, board: Board, title: str, body: str, alias: str | None
) -> Thread:
    """A private conversation a moderator starts with ``member``, the moderator's words first.

    ``alias`` (the name on the anonymous post it is about) is the member's name in it, so that
    their answers carry that alias and never their handle. The caller records the ``message``
    row that says whom it is with. No queue item yet: the member's answer opens one.
    """
    thread, _ = create_thread(moderator, board, title, body, False, private=True)
    if alias is not None:
        db.session.add(ThreadAlias(thread_id=thread.id, member_id=member.id, name=alias))
        db.session.flush()
    return thread


@dataclass(frozen=True)
class ConversationRow:
    """A line of a member's list of private conversations."""

    id: int
    title: str
    url: str
    last_activity_at: datetime
    # Posts the member has not read (None: never opened).
    unread: int | None
    started_by_moderators: bool


@dataclass
class ConversationPage:
    rows: list[ConversationRow]
    next_cursor: str | None


def conversations_of(member: Member, cursor: str | None = None) -> ConversationPage:
    """The member's own private conversations, latest activity first, keyset-paged."""
    ids, started = _conversation_ids(member)
    statement = (
        select(Thread)
        .where(Thread.id.in_(ids))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(CONVERSATIONS_PER_PAGE + 1)
    )
    if cursor:
        position = tuple_(Thread.last_activity_at, Thread.id)
        statement = statement.where(position < tuple_(*decode_cursor(cursor, datetime, int)))
    threads = list(db.session.execute(statement).scalars())
    has_more = len(threads) > CONVERSATIONS_PER_PAGE
    threads = threads[:CONVERSATIONS_PER_PAGE]
    unread = unread_counts(member, [thread.id for thread in threads])
    last = threads[-1] if threads else None
    return ConversationPage(
        rows=[
            ConversationRow(
                id=thread.id,
                title=thread.title,
                url=url_for("threads.show", thread_id=thread.id, slug=thread.slug),
                last_activity_at=thread.last_activity_at,
                unread=unread.get(thread.id),
                started_by_moderators=thread.id in started,
            )
            for thread in threads
        ],
        next_cursor=encode_cursor(last.last_activity_at, last.id) if has_more and last else None,
    )


def _conversation_ids(member: Member) -> tuple[set[int], set[int]]:
    """The ids of the member's conversations, and of those among them a moderator opened by
    writing to them. Each is read on an index (the member's posts, the audit log's subjects
    and actors), never by scanning the threads."""
    written_to_them = set(
        db.session.execute(
            select(ModerationEvent.thread_id).where(
                ModerationEvent.subject_id == member.id,
                ModerationEvent.action == MESSAGE,
                ModerationEvent.thread_id.is_not(None),
            )
        ).scalars()
    )
    opened = set(
        db.session.execute(
            select(Post.thread_id)
            .join(Thread, Thread.id == Post.thread_id)
            .where(
                Post.author_id == member.id,
                Thread.first_post_id == Post.id,
                Thread.is_private.is_(True),
            )
        ).scalars()
    )
    if opened:
        # A moderator writes the opening post of the conversations they start: those are
        # the member's they wrote to, not theirs.
        opened -= set(
            db.session.execute(
                select(ModerationEvent.thread_id).where(
                    ModerationEvent.actor_id == member.id,
                    ModerationEvent.action == MESSAGE,
                    ModerationEvent.thread_id.in_(opened),
                )
            ).scalars()
        )
    return opened | written_to_them, written_to_them
