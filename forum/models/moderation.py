"""Reports, the moderation queue, the audit log, appeals and in-app notices."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import Member
from forum.models.base import utcnow
from forum.models.posts import Post

REPORT_REASONS = {
    "risk": _l("Someone may be at risk of harm"),
    "harassment": _l("Harassment or bullying"),
    "hate": _l("Hate or discrimination"),
    "spam": _l("Spam or advertising"),
    "misinformation": _l("Harmful advice or misinformation"),
    "privacy": _l("Shares private information"),
    "other": _l("Something else"),
}

# The report reason that puts a post at the top of the queue.
RISK = "risk"

# Stored keys as the moderation pages name them: in English the key itself, as moderators have
# always read it ("spam × 2", "hide: reason"), translated for other languages. A key missing
# here is shown as it is stored.
REPORT_REASON_WORDS = {
    "risk": _l("risk"),
    "harassment": _l("harassment"),
    "hate": _l("hate"),
    "spam": _l("spam"),
    "misinformation": _l("misinformation"),
    "privacy": _l("privacy"),
    "other": _l("other"),
}
ACTION_WORDS = {
    "approve": _l("approve"),
    "hide": _l("hide"),
    "remove": _l("remove"),
    "restore": _l("restore"),
    "reveal": _l("reveal"),
    "lock": _l("lock"),
    "unlock": _l("unlock"),
    "pin": _l("pin"),
    "unpin": _l("unpin"),
    "move": _l("move"),
    "silence": _l("silence"),
    "suspend": _l("suspend"),
    "reinstate": _l("reinstate"),
    "trust": _l("trust"),
    "warning": _l("warning"),
    "message": _l("message"),
    "appeal_granted": _l("appeal_granted"),
    "appeal_denied": _l("appeal_denied"),
    "board_create": _l("board_create"),
    "board_edit": _l("board_edit"),
    "board_move": _l("board_move"),
    "board_archive": _l("board_archive"),
    "board_unarchive": _l("board_unarchive"),
    "grant_moderator": _l("grant_moderator"),
    "revoke_moderator": _l("revoke_moderator"),
    "crisis_resource_create": _l("crisis_resource_create"),
    "crisis_resource_edit": _l("crisis_resource_edit"),
    "crisis_resource_verify": _l("crisis_resource_verify"),
    "crisis_resource_delete": _l("crisis_resource_delete"),
}

# The outcomes of an appeal: granted undoes the action it was against.
APPEAL_GRANTED, APPEAL_DENIED = "granted", "denied"

# Queue item kinds, in the order of the queue's tabs.
ITEM_REPORTS, ITEM_HELD, ITEM_APPEAL, ITEM_PRIVATE = "reports", "held", "appeal", "private"


class Report(db.Model):
    """One member's report of one post. Reporting again updates the same row."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("post_id", "reporter_id"),
        Index("ix_reports_post_open", "post_id", "is_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    reason: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    # How much this report counts towards hiding the post at once (see forum.moderation.reports).
    weight: Mapped[float] = mapped_column(default=1.0)
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    reporter = relationship(Member)
    post = relationship(Post)


class ModerationItem(db.Model):
    """One entry of the moderation queue: a reported post, a held post, or an appeal.

    ``open_marker`` is True while open and NULL once resolved: the unique constraint on
    (post, kind, open_marker) then allows one open item per post and kind, and any number of
    resolved ones, on every database. The queue is read in ``(rank, opened_at, id)`` order:
    rank 0 for items about a possible risk to someone, 1 for the rest.
    """

    __tablename__ = "moderation_items"
    __table_args__ = (
        UniqueConstraint("post_id", "kind", "open_marker"),
        Index("ix_moderation_items_queue", "kind", "open_marker", "rank", "opened_at", "id"),
        Index("ix_moderation_items_resolved", "open_marker", "resolved_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    kind: Mapped[str] = mapped_column(String(16))
    rank: Mapped[int] = mapped_column(default=1)
    open_marker: Mapped[bool | None] = mapped_column(default=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    outcome: Mapped[str | None] = mapped_column(String(32))
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeals.id"))
    # Opened by the forum itself (crisis words in a post), not by a member's report.
    automatic: Mapped[bool] = mapped_column(default=False, server_default=sql_false())

    post = relationship(Post)
    appeal = relationship("Appeal")

    @property
    def is_open(self) -> bool:
        return bool(self.open_marker)


class ModerationEvent(db.Model):
    """A row of the append-only audit log: who did what, to what, why and when."""

    __tablename__ = "moderation_events"
    __table_args__ = (
        Index("ix_moderation_events_created", "created_at", "id"),
        Index("ix_moderation_events_subject", "subject_id", "created_at"),
        Index("ix_moderation_events_actor", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    action: Mapped[str] = mapped_column(String(32))
    # The member the action concerns (a post's author, a silenced member...).
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship(Member, foreign_keys=[actor_id])
    subject = relationship(Member, foreign_keys=[subject_id])


@event.listens_for(ModerationEvent, "before_update")
@event.listens_for(ModerationEvent, "before_delete")
def _audit_log_is_append_only(mapper, connection, target):
    raise RuntimeError("The moderation log is append-only.")


class Appeal(db.Model):
    """An author's one appeal against one moderator action on their post."""

    __tablename__ = "appeals"
    __table_args__ = (UniqueConstraint("event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("moderation_events.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    decided_at: Mapped[datetime | None]

    event = relationship(ModerationEvent)


class Notice(db.Model):
    """A notification: a reply, a mention, support sent, a post in a watched thread or board,
    or a moderation message (report reviewed, post hidden, appeal decided).

    ``kind`` says which; ``text`` holds moderation messages (activity notifications are worded
    when shown). Reactions are grouped: one row per post and reaction kind (``group_key``)
    whose ``count`` grows. ``actor_id`` is never shown for an anonymous post.
    """

    __tablename__ = "notices"
    __table_args__ = (
        Index("ix_notices_member", "member_id", "read_at", "id"),
        Index("ix_notices_group", "member_id", "group_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16), default="notice", server_default="notice")
    text: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(255))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    count: Mapped[int] = mapped_column(default=1, server_default="1")
    group_key: Mapped[str | None] = mapped_column(String(64))
    # The moderation event this notice tells about, when the member may appeal it.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_events.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
