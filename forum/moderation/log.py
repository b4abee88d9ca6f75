"""The audit log and member notices: every moderator action leaves a row and, where someone
is affected, a notice they will read."""

from flask import url_for

from forum import security_log
from forum.extensions import db
from forum.i18n import english
from forum.models import ModerationEvent, Notice, utcnow


def record(
    actor,
    action: str,
    *,
    reason: str = "",
    subject_id: int | None = None,
    post=None,
    thread=None,
    **details,
) -> ModerationEvent:
    """Append one row to the audit log, in the same transaction as the action itself."""
    event = ModerationEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_id=subject_id
        if subject_id is not None
        else (post.author_id if post is not None else None),
        post_id=post.id if post is not None else None,
        thread_id=thread.id
        if thread is not None
        else (post.thread_id if post is not None else None),
        reason=reason or "",
        details=details,
        created_at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    security_log.moderation(event, anonymous_post=post is not None and post.is_anonymous)
    return event


def notify(
    member_id: int | None,
    text: str,
    *,
    link: str | None = None,
    appealable: ModerationEvent | None = None,
) -> None:
    """Leave an in-app notice for a member (shown on their next page view and on /notices).

    The text is stored in English, whoever's language the moderator reads in; a fixed
    sentence (``_l``) is shown in the reader's language (see forum.notify.queries.wording).
    """
    if member_id is None:
        return
    db.session.add(
        Notice(
            member_id=member_id,
            text=english(text),
            link=link,
            created_at=utcnow(),
            event_id=appealable.id if appealable is not None else None,
        )
    )


def post_link(post) -> str:
    return url_for("threads.permalink", post_id=post.id)
