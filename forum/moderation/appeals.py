"""Appeals: the author of a hidden or removed post (or a silenced member) may appeal once per
action; a different moderator than the one who acted decides."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from forum import policy
from forum.display import as_sentence
from forum.extensions import db
from forum.models import Appeal, ModerationEvent, ModerationItem, Post, utcnow
from forum.models.moderation import APPEAL_DENIED, APPEAL_GRANTED, ITEM_APPEAL
from forum.moderation.actions import ActionRefused, reinstate_member, restore_post
from forum.moderation.log import notify, post_link, record
from forum.queue import open_item, resolve_item

APPEAL_MAX = 1_000


def can_appeal(member, event: ModerationEvent) -> bool:
    """Whether ``member`` may still appeal ``event`` (the rule is policy.appeal_block)."""
    return policy.appeal_block(member, event, appeal_of(event) is not None) is None


def appeal_of(event: ModerationEvent) -> Appeal | None:
    return db.session.execute(select(Appeal).filter_by(event_id=event.id)).scalar_one_or_none()


def file_appeal(member, event: ModerationEvent, text: str) -> Appeal:
    """Record the appeal and put it in the queue (about the post, or the member's last post)."""
    if not can_appeal(member, event):
        raise ActionRefused(_("This action cannot be appealed (again)."))
    appeal = Appeal(event_id=event.id, author_id=member.id, text=text, created_at=utcnow())
    db.session.add(appeal)
    db.session.flush()
    post = db.session.get(Post, event.post_id) if event.post_id else _latest_post_of(member)
    if post is None:
        raise ActionRefused(_("There is no post to attach this appeal to."))
    open_item(post, ITEM_APPEAL, appeal_id=appeal.id)
    return appeal


def _latest_post_of(member) -> Post | None:
    return db.session.execute(
        select(Post).filter_by(author_id=member.id).order_by(Post.id.desc()).limit(1)
    ).scalar_one_or_none()


def decide_appeal(moderator, appeal: Appeal, grant: bool, reason: str) -> None:
    """Grant (undo the action) or deny the appeal; never by the moderator who acted. The
    author gets one notice: the decision (not also the undoing it brings)."""
    event = appeal.event
    refusal = policy.appeal_decision_block(moderator, appeal)
    if refusal is not None:
        raise ActionRefused(refusal)
    appeal.outcome = APPEAL_GRANTED if grant else APPEAL_DENIED
    appeal.decided_by_id, appeal.decided_at = moderator.id, utcnow()
    post = db.session.get(Post, event.post_id) if event.post_id else None
    if grant and event.action == "silence":
        reinstate_member(moderator, appeal.event.subject, reason, tell_member=False)
    elif grant and post is not None:
        restore_post(moderator, post, reason, tell_author=False)
    record(
        moderator,
        f"appeal_{appeal.outcome}",
        subject_id=appeal.author_id,
        post=post,
        reason=reason,
        appeal=appeal.id,
    )
    _resolve_appeal_item(moderator, appeal)
    verdict = "granted: the action was undone" if grant else "not granted"
    notify(
        appeal.author_id,
        f"Your appeal was {verdict}. {as_sentence(reason)}".strip(),
        link=post_link(post) if post is not None else None,
    )


@dataclass(frozen=True)
class AppealStatus:
    """What the member sees of a decision they may no longer appeal (or never could)."""

    action: str
    reason: str
    appealable: bool
    sent_at: datetime | None = None
    outcome: str | None = None


def appeal_status(event: ModerationEvent) -> AppealStatus:
    """Where the member's appeal of ``event`` stands, for the page that replaces the form."""
    appeal = appeal_of(event)
    return AppealStatus(
        action=event.action,
        reason=event.reason,
        appealable=event.action in policy.APPEALABLE_ACTIONS,
        sent_at=appeal.created_at if appeal is not None else None,
        outcome=appeal.outcome if appeal is not None else None,
    )


def _resolve_appeal_item(moderator, appeal: Appeal) -> None:
    item = db.session.execute(
        select(ModerationItem).filter_by(appeal_id=appeal.id, open_marker=True)
    ).scalar_one_or_none()
    if item is not None:
        resolve_item(item, moderator, appeal.outcome)
