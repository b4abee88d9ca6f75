"""Read side of moderation: the queue, one page at a time in a fixed number of queries, and
the audit log."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload

from forum.extensions import db
from forum.models import Appeal, ModerationEvent, ModerationItem, Post, Report, Thread, utcnow
from forum.models.moderation import (
    APPEAL_GRANTED,
    ITEM_APPEAL,
    ITEM_HELD,
    ITEM_PRIVATE,
    ITEM_REPORTS,
)
from forum.paging import decode_cursor, encode_cursor

ITEMS_PER_PAGE = 25
EVENTS_PER_PAGE = 50
STALE_AFTER = timedelta(hours=24)
TABS = {
    "reports": ITEM_REPORTS,
    "held": ITEM_HELD,
    "private": ITEM_PRIVATE,
    "appeals": ITEM_APPEAL,
    "resolved": None,
}
HISTORY_ACTIONS = ("hide", "remove", "silence", "suspend")


@dataclass
class QueueEntry:
    item: ModerationItem
    post: Post
    reasons: Counter = field(default_factory=Counter)
    reports: list = field(default_factory=list)
    history: list = field(default_factory=list)

    @property
    def is_stale(self) -> bool:
        return self.item.is_open and utcnow() - self.item.opened_at > STALE_AFTER

    @property
    def is_risk(self) -> bool:
        return self.item.rank == 0


@dataclass
class QueuePage:
    entries: list[QueueEntry]
    next_cursor: str | None
    open_counts: dict[str, int]


def queue_page(tab: str, cursor: str | None = None) -> QueuePage:
    """One page of a queue tab: open items by priority then age (resolved: newest first)."""
    kind = TABS[tab]
    statement = (
        select(ModerationItem)
        .options(
            joinedload(ModerationItem.post).joinedload(Post.author),
            joinedload(ModerationItem.post).joinedload(Post.alias),
            joinedload(ModerationItem.post).joinedload(Post.thread).joinedload(Thread.board),
            joinedload(ModerationItem.appeal)
            .joinedload(Appeal.event)
            .joinedload(ModerationEvent.actor),
        )
        .limit(ITEMS_PER_PAGE + 1)
    )
    if kind is None:
        statement = statement.where(ModerationItem.open_marker.is_(None)).order_by(
            ModerationItem.resolved_at.desc(), ModerationItem.id.desc()
        )
        position = tuple_(ModerationItem.resolved_at, ModerationItem.id)
        if cursor:
            statement = statement.where(position < tuple_(*decode_cursor(cursor, datetime, int)))
    else:
        statement = statement.where(
            ModerationItem.kind == kind, ModerationItem.open_marker.is_(True)
        ).order_by(ModerationItem.rank, ModerationItem.opened_at, ModerationItem.id)
        position = tuple_(ModerationItem.rank, ModerationItem.opened_at, ModerationItem.id)
        if cursor:
            statement = statement.where(
                position > tuple_(*decode_cursor(cursor, int, datetime, int))
            )
    items = list(db.session.execute(statement).unique().scalars())
    has_more = len(items) > ITEMS_PER_PAGE
    items = items[:ITEMS_PER_PAGE]
    return QueuePage(
        entries=_entries(items),
        next_cursor=_cursor(items[-1], kind) if has_more else None,
        open_counts=open_counts(),
    )


def _cursor(item: ModerationItem, kind) -> str:
    if kind is None:
        return encode_cursor(item.resolved_at, item.id)
    return encode_cursor(item.rank, item.opened_at, item.id)


def _entries(items: list[ModerationItem]) -> list[QueueEntry]:
    """Attach the reports and the authors' history: two queries for the whole page. The
    history leaves out actions on anonymous posts (never remove that filter: it would name
    their author) and actions overturned on appeal."""
    entries = [QueueEntry(item=item, post=item.post) for item in items]
    post_ids = {entry.post.id for entry in entries}
    by_post = defaultdict(list)
    if post_ids:
        reports = db.session.execute(
            select(Report)
            .where(Report.post_id.in_(post_ids), Report.is_open.is_(True))
            .options(joinedload(Report.reporter))
            .order_by(Report.updated_at)
        ).scalars()
        for report in reports:
            by_post[report.post_id].append(report)
    author_ids = {entry.post.author_id for entry in entries if entry.post.author_id}
    history = defaultdict(list)
    if author_ids:
        events = db.session.execute(
            select(ModerationEvent)
            .where(
                ModerationEvent.subject_id.in_(author_ids),
                ModerationEvent.action.in_(HISTORY_ACTIONS),
                not_about_anonymous_post(),
                not_overturned_on_appeal(),
            )
            .order_by(ModerationEvent.created_at.desc())
        ).scalars()
        for event in events:
            history[event.subject_id].append(event)
    for entry in entries:
        entry.reports = by_post[entry.post.id]
        entry.reasons = Counter(report.reason for report in entry.reports)
        entry.history = history[entry.post.author_id][:5]
    return entries


def open_counts() -> dict[str, int]:
    """How many open items each tab holds (one grouped query on the queue index)."""
    rows = db.session.execute(
        select(ModerationItem.kind, func.count())
        .where(ModerationItem.open_marker.is_(True))
        .group_by(ModerationItem.kind)
    ).all()
    counts = dict(rows)
    return {tab: counts.get(kind, 0) for tab, kind in TABS.items() if kind is not None}


def not_overturned_on_appeal():
    """SQL: no appeal against the event was granted (an action undone on appeal is not held
    against the member)."""
    granted = (
        select(Appeal.id)
        .where(Appeal.event_id == ModerationEvent.id, Appeal.outcome == APPEAL_GRANTED)
        .correlate(ModerationEvent)
        .exists()
    )
    return ~granted


def not_about_anonymous_post():
    """SQL: the event is not about an anonymous post, or it is the reveal of its author.

    Actions on an anonymous post keep its author in ``subject_id`` (appeals and notices need
    them), but the log's member filter and the queue's "earlier actions" must never match them,
    or any moderator could learn who wrote the post without a recorded reveal.
    """
    post = aliased(Post)
    on_anonymous_post = (
        select(post.id)
        .where(post.id == ModerationEvent.post_id, post.is_anonymous.is_(True))
        .correlate(ModerationEvent)
        .exists()
    )
    return or_(ModerationEvent.action == "reveal", ~on_anonymous_post)


@dataclass(frozen=True)
class LogRow:
    """An audit-log line as moderators may see it: on an anonymous post the member is its
    alias, except beside the reveal that named them."""

    created_at: datetime
    actor: str
    action: str
    post_id: int | None
    thread_id: int | None
    subject: str | None
    subject_is_alias: bool
    board_slug: str | None
    reason: str


@dataclass
class LogPage:
    events: list[LogRow]
    next_cursor: str | None


def audit_log(*, actor_id=None, subject_id=None, action=None, cursor=None) -> LogPage:
    """The audit log, newest first, filtered by moderator, member and action."""
    statement = (
        select(ModerationEvent, Post)
        .outerjoin(Post, Post.id == ModerationEvent.post_id)
        .options(
            joinedload(ModerationEvent.actor),
            joinedload(ModerationEvent.subject),
            joinedload(Post.alias),
        )
        .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
        .limit(EVENTS_PER_PAGE + 1)
    )
    if actor_id is not None:
        statement = statement.where(ModerationEvent.actor_id == actor_id)
    if subject_id is not None:
        statement = statement.where(
            ModerationEvent.subject_id == subject_id, not_about_anonymous_post()
        )
    if action:
        statement = statement.where(ModerationEvent.action == action)
    if cursor:
        position = tuple_(ModerationEvent.created_at, ModerationEvent.id)
        statement = statement.where(position < tuple_(*decode_cursor(cursor, datetime, int)))
    rows = db.session.execute(statement).all()
    has_more = len(rows) > EVENTS_PER_PAGE
    rows = rows[:EVENTS_PER_PAGE]
    last = rows[-1][0] if rows else None
    return LogPage(
        events=[log_row(event, post) for event, post in rows],
        next_cursor=encode_cursor(last.created_at, last.id) if has_more and last else None,
    )


def log_row(event: ModerationEvent, post: Post | None) -> LogRow:
    """One event as the log shows it (see LogRow)."""
    as_alias = post is not None and post.is_anonymous and event.action != "reveal"
    if as_alias:
        subject = post.alias.name if post.alias is not None else "an anonymous member"
    elif event.subject is not None:
        subject = "deleted member" if event.subject.is_deleted else event.subject.handle
    else:
        subject = None
    actor = event.actor
    return LogRow(
        created_at=event.created_at,
        actor=("deleted member" if actor.is_deleted else actor.handle) if actor else "system",
        action=event.action,
        post_id=event.post_id,
        thread_id=event.thread_id,
        subject=subject,
        subject_is_alias=as_alias,
        board_slug=(event.details or {}).get("slug"),
        reason=event.reason,
    )
