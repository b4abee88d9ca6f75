"""Moderators reach out: a private message to a member opens a conversation between them and
the moderators, tells the member, and writes a ``message`` row to the audit log. Written about
an anonymous post, it reaches the post's author without ever naming them to the moderator.
They flush, never commit."""

from flask import url_for

from forum.care.private import open_conversation
from forum.conversations import MESSAGE
from forum.models import Board, Member, Post, Thread
from forum.moderation.log import notify, record

TITLE_MAX = 150
FROM_PROFILE_TITLE = "A message from the moderators"


def message_post_author(moderator: Member, post: Post, title: str | None, body: str) -> Thread:
    """Write privately to whoever wrote ``post``: as its alias when it is anonymous."""
    thread = post.thread
    title = title or _shortened(f"About your post in “{thread.title}”")
    alias = post.alias.name if post.is_anonymous and post.alias is not None else None
    conversation = open_conversation(moderator, post.author, thread.board, title, body, alias)
    # The row is about the post, so the log shows the post's alias and its member filter
    # never finds an anonymous author (forum.moderation.queries.not_about_anonymous_post).
    record(moderator, MESSAGE, post=post, thread=conversation)
    _tell(post.author, conversation, title)
    return conversation


def message_member(moderator: Member, member: Member, board: Board, title: str | None, body: str):
    """Write privately to ``member`` (from their profile); ``board`` only houses the thread."""
    title = title or FROM_PROFILE_TITLE
    conversation = open_conversation(moderator, member, board, title, body, None)
    record(moderator, MESSAGE, subject_id=member.id, thread=conversation)
    _tell(member, conversation, title)
    return conversation


def _tell(member: Member, conversation: Thread, title: str) -> None:
    notify(
        member.id,
        f"A moderator wrote to you privately: “{title}”. Only you and the moderators can read it.",
        link=url_for("threads.show", thread_id=conversation.id, slug=conversation.slug),
    )


def _shortened(title: str) -> str:
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 2].rstrip() + "…”"
