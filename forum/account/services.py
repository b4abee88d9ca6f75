"""Data rights: change one's password, take one's data away, delete one's account.

Verbs flush, never commit. Deleting keeps the member row as a tombstone ("deleted member"),
so the audit log, reports and the reply trees that point at it stay whole.
"""

import secrets
from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from forum.auth.passwords import hash_password, verify_password
from forum.auth.services import change_password, end_all_sessions
from forum.extensions import db
from forum.models import (
    Appeal,
    Block,
    Board,
    BoardMute,
    Draft,
    Member,
    ModerationEvent,
    Notice,
    Post,
    PostRevision,
    Reaction,
    Report,
    SafetyPlan,
    Thread,
    ThreadAlias,
)
from forum.models.posts import HELD
from forum.notify.queries import every_notification
from forum.redirects import is_safe_local_path
from forum.safety_plan.services import export_plan
from forum.threads.services import delete_post
from forum.web import site_url

# The title of a thread whose author deleted their account and took their words with them.
REMOVED_TITLE = "[removed by its author]"


def password_matches(member: Member, password: str) -> bool:
    """Whether ``password`` is the member's current password."""
    return verify_password(member.password_hash, password or "")


def change_own_password(member: Member, current: str, new: str) -> bool:
    """Set a new password when ``current`` is right (every session ends); False when wrong."""
    if not password_matches(member, current):
        return False
    change_password(member, new)
    return True


def iso(moment: datetime | None) -> str | None:
    """A stored naive-UTC time as an ISO 8601 string with its offset."""
    return moment.replace(tzinfo=UTC).isoformat() if moment is not None else None


def export_member_data(member: Member, now: datetime | None = None) -> dict:
    """Everything the forum holds about ``member``, in a fixed number of queries.

    Only the member's own data: who reported them, who blocked them and which moderator
    acted are other people's and are left out.
    """
    return {
        "exported_at": iso(now),
        "account": _account(member),
        "posts": _posts(member),
        "reactions": _rows(
            select(Reaction.post_id, Reaction.kind, Reaction.created_at)
            .where(Reaction.member_id == member.id)
            .order_by(Reaction.id)
        ),
        "reports": _rows(
            select(
                Report.post_id,
                Report.reason,
                Report.details,
                Report.is_open,
                Report.created_at,
                Report.updated_at,
            )
            .where(Report.reporter_id == member.id)
            .order_by(Report.id)
        ),
        "blocks": _blocks(member),
        "muted_boards": list(
            db.session.execute(
                select(Board.slug)
                .join(BoardMute, BoardMute.board_id == Board.id)
                .where(BoardMute.member_id == member.id)
                .order_by(Board.slug)
            ).scalars()
        ),
        "notifications": _notifications(member),
        "drafts": _rows(
            select(
                Draft.place,
                Draft.title,
                Draft.body,
                Draft.anonymous,
                Draft.content_warning,
                Draft.content_warning_text,
                Draft.updated_at,
            )
            .where(Draft.member_id == member.id)
            .order_by(Draft.id)
        ),
        "appeals": _rows(
            select(
                Appeal.text,
                Appeal.created_at,
                Appeal.outcome,
                Appeal.decided_at,
                ModerationEvent.action.label("appealed_action"),
                ModerationEvent.post_id,
            )
            .join(ModerationEvent, ModerationEvent.id == Appeal.event_id)
            .where(Appeal.author_id == member.id)
            .order_by(Appeal.id)
        ),
        "safety_plan": _safety_plan(member),
    }


def _safety_plan(member: Member) -> dict | None:
    """The member's safety plan, which nothing else in the forum ever shows (None: none)."""
    plan = export_plan(member)
    if plan is None:
        return None
    return {
        key: iso(value) if isinstance(value, datetime) else value for key, value in plan.items()
    }


def _account(member: Member) -> dict:
    return {
        "handle": member.handle,
        "role": member.role,
        "created_at": iso(member.created_at),
        "trust_level": member.trust_level,
        "approved_posts": member.approved_posts,
        "silenced_until": iso(member.silenced_until),
        "suspended_until": iso(member.suspended_until),
        "has_recovery_code": member.recovery_hash is not None,
        "settings": {
            "region": member.region,
            "open_content_warnings": member.open_content_warnings,
            "hidden_warnings": list(member.hidden_warnings or []),
            "hide_counts": member.hide_counts,
            "quiet_mode": member.quiet_mode,
            "email": member.email,
            "digest": member.digest,
            "digest_excerpts": member.digest_excerpts,
            "break_until": iso(member.break_until),
        },
    }


def _notifications(member: Member) -> list[dict]:
    """Each notification as the member read it: its words and a link to what it is about."""
    return [
        {
            "text": item.text,
            "link": site_url(item.link) if is_safe_local_path(item.link) else None,
            "created_at": iso(item.created_at),
            "read_at": iso(item.read_at),
        }
        for item in every_notification(member)
    ]


def _rows(statement) -> list[dict]:
    """Each row of ``statement`` as a dict, times as ISO strings."""
    return [
        {key: iso(value) if isinstance(value, datetime) else value for key, value in row.items()}
        for row in db.session.execute(statement).mappings()
    ]


def _posts(member: Member) -> list[dict]:
    """Every post of the member, anonymous ones with their alias, each with its edits."""
    revisions: dict[int, list[dict]] = {}
    for revision in db.session.execute(
        select(PostRevision)
        .join(Post, Post.id == PostRevision.post_id)
        .where(Post.author_id == member.id)
        .order_by(PostRevision.post_id, PostRevision.id)
    ).scalars():
        revisions.setdefault(revision.post_id, []).append(
            {
                "body": revision.body_source,
                "written_at": iso(revision.written_at),
                "replaced_at": iso(revision.replaced_at),
            }
        )
    rows = db.session.execute(
        select(Post, Thread.title, Thread.first_post_id, ThreadAlias.name)
        .join(Thread, Thread.id == Post.thread_id)
        .outerjoin(ThreadAlias, ThreadAlias.id == Post.alias_id)
        .where(Post.author_id == member.id)
        .order_by(Post.created_at, Post.id)
    ).all()
    return [
        {
            "id": post.id,
            "thread": {"id": post.thread_id, "title": title},
            "opens_thread": post.id == first_post_id,
            "parent_id": post.parent_id,
            "anonymous": post.is_anonymous,
            "alias": alias if post.is_anonymous else None,
            "body": post.body_source,
            "state": post.state,
            "moderation_reason": post.moderation_reason,
            "content_warning": post.content_warning,
            "content_warning_text": post.content_warning_text,
            "created_at": iso(post.created_at),
            "edited_at": iso(post.edited_at),
            "deleted_at": iso(post.deleted_at),
            "revisions": revisions.get(post.id, []),
        }
        for post, title, first_post_id, alias in rows
    ]


def _blocks(member: Member) -> list[dict]:
    """Whom the member blocked, as they knew them: a handle, or the alias of an anonymous post
    (never the account behind an alias)."""
    return _rows(
        select(Block.shown_as.label("blocked"), Block.created_at)
        .where(Block.blocker_id == member.id)
        .order_by(Block.id)
    )


def delete_account(member: Member, *, keep_posts: bool, now: datetime) -> None:
    """Delete ``member``'s account, leaving a tombstone row that can never log in again.

    ``keep_posts`` leaves their posts in place, shown as by a former member; otherwise every
    post is deleted in place (text and edit history gone, replies keep their place). Their
    safety plan, drafts, blocks, mutes, reactions and notices go; their reports, appeals,
    aliases and the audit log stay for moderation.
    """
    if keep_posts:
        forget_deleted_posts(member)
    else:
        remove_all_posts(member, now)
    for model, column in (
        (Block, Block.blocker_id),
        (BoardMute, BoardMute.member_id),
        (Draft, Draft.member_id),
        (Reaction, Reaction.member_id),
        (Notice, Notice.member_id),
        (SafetyPlan, SafetyPlan.member_id),
    ):
        db.session.execute(delete(model).where(column == member.id))
    member.deleted_at = now
    # Nobody knows this password, and checking it costs what a real one does.
    member.password_hash = hash_password(secrets.token_urlsafe(32))
    member.recovery_hash = None
    end_all_sessions(member)
    # A tombstone holds no powers: it leaves the moderator and admin lists.
    member.role = "member"
    member.region = None
    member.open_content_warnings = False
    member.hidden_warnings = []
    member.hide_counts = False
    member.quiet_mode = False
    member.email, member.digest, member.digest_excerpts = None, "off", False
    member.last_digest_at = None
    member.break_until = None
    db.session.flush()


def remove_all_posts(member: Member, now: datetime) -> None:
    """Delete every post of ``member`` in place and forget their words (text, edits, titles)."""
    # A post still waiting for approval leaves the queue the way a single deletion does.
    for post in db.session.execute(
        select(Post).where(
            Post.author_id == member.id, Post.state == HELD, Post.deleted_at.is_(None)
        )
    ).scalars():
        delete_post(post)
    own_posts = select(Post.id).where(Post.author_id == member.id)
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(own_posts)))
    db.session.execute(
        update(Post)
        .where(Post.author_id == member.id, Post.deleted_at.is_(None))
        .values(deleted_at=now)
    )
    db.session.execute(
        update(Post)
        .where(Post.author_id == member.id)
        .values(body_source="", body_html="", content_warning_text=None)
    )
    db.session.execute(
        update(Thread)
        .where(Thread.first_post_id.in_(own_posts))
        .values(title=REMOVED_TITLE, slug="removed")
    )


def forget_deleted_posts(member: Member) -> None:
    """Drop the kept text and edits of posts the member had already deleted one by one."""
    deleted = select(Post.id).where(Post.author_id == member.id, Post.deleted_at.is_not(None))
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(deleted)))
    db.session.execute(
        update(Post)
        .where(Post.author_id == member.id, Post.deleted_at.is_not(None))
        .values(body_source="", body_html="", content_warning_text=None)
    )
