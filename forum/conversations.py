"""Who a private conversation with the moderators is with.

A member opens one from the crisis step, ``/crisis`` or a board: its opening post is theirs.
A moderator opens one by writing to a member (``/mod/posts/<id>/message``,
``/mod/users/<handle>/message``): its opening post is the moderator's, and the ``message`` row
of the audit log that opened it names the member. That row is append-only, so nobody can
change afterwards whom a conversation is with. When the moderator wrote about an anonymous
post, the member has an alias in the conversation (the post's): moderators see that alias,
never the account.
"""

from dataclasses import dataclass

from sqlalchemy import select

from forum.display import Byline, byline_of, member_byline
from forum.extensions import db
from forum.models import Member, ModerationEvent, Thread, ThreadAlias

MESSAGE = "message"


def opening_message(thread: Thread) -> ModerationEvent | None:
    """The audit-log row of the moderator who opened ``thread`` by writing to a member (None
    for a conversation a member started, and for every other thread). Read on the index of
    the moderator's own actions."""
    opening = thread.first_post
    if not thread.is_private or opening is None or opening.author_id is None:
        return None
    return db.session.execute(
        select(ModerationEvent)
        .where(
            ModerationEvent.actor_id == opening.author_id,
            ModerationEvent.action == MESSAGE,
            ModerationEvent.thread_id == thread.id,
        )
        .limit(1)
    ).scalar_one_or_none()


def member_id_of(thread: Thread) -> int | None:
    """The member a held or private thread belongs to: the member a moderator wrote to, or
    else the author of its opening post."""
    if thread.is_private:
        event = opening_message(thread)
        if event is not None:
            return event.subject_id
    opening = thread.first_post
    return opening.author_id if opening is not None else None


@dataclass(frozen=True)
class Conversation:
    """A private conversation as its reader may see it: whom the moderators talk with (their
    alias when it began from an anonymous post), and whether the reader is that member."""

    member: Byline
    reader_is_member: bool
    # The member's alias here, shown to the member only ("you appear here as ...").
    own_alias: str | None = None
    started_by_moderators: bool = False


def conversation_of(thread: Thread, reader) -> Conversation | None:
    """``thread`` as a private conversation for ``reader`` (None for any other thread)."""
    if not thread.is_private:
        return None
    event = opening_message(thread)
    member_id = event.subject_id if event is not None else member_id_of(thread)
    alias = None
    if event is not None and member_id is not None:
        alias = db.session.execute(
            select(ThreadAlias).filter_by(thread_id=thread.id, member_id=member_id)
        ).scalar_one_or_none()
    if alias is not None:
        member = Byline(name=alias.name, profile_url=None, is_anonymous=True)
    elif event is not None:
        member = member_byline(db.session.get(Member, member_id) if member_id else None)
    else:
        member = byline_of(thread.first_post) or Byline(None, None)
    is_member = bool(getattr(reader, "is_authenticated", False)) and reader.id == member_id
    return Conversation(
        member=member,
        reader_is_member=is_member,
        own_alias=alias.name if alias is not None and is_member else None,
        started_by_moderators=event is not None,
    )
