"""Read side of moderation: the queue, one page at a time in a fixed number of queries, and
the audit log."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload

from forum import policy
from forum.display import Byline, byline_of
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


@dataclass(frozen=True)
class QueuedPost:
    """A queued post as a moderator may see it before any reveal: the alias of an anonymous
    post, never the account behind it (the template never receives the model), and which
    actions this moderator is offered."""

    id: int
    thread_id: int
    thread_title: str
    thread_locked: bool
    board_name: str
    byline: Byline
    is_anonymous: bool
    is_deleted: bool
    state: str
    body_html: str
    # The handle a silence goes to: a signed post's author whom this moderator may sanction.
    sanction_handle: str | None
    can_moderate: bool
    can_hide: bool
    can_remove: bool
    can_restore: bool
    can_reveal: bool
    can_message: bool


def queued_post(post: Post, viewer) -> QueuedPost:
    """``post`` as ``viewer`` (a moderator) sees it in the queue."""
    author = post.author
    if post.is_anonymous:
        byline = byline_of(post)
    elif author is None:
        byline = Byline(name=_("[deleted account]"), profile_url=None)
    elif author.is_deleted:
        byline = Byline(name=_("deleted member"), profile_url=None)
    else:
        byline = byline_of(post)
    signed_author = author if author is not None and not post.is_anonymous else None
    may_sanction = (
        signed_author is not None
        and not signed_author.is_deleted
        and policy.can_sanction(viewer, signed_author)
    )
    return QueuedPost(
        id=post.id,
        thread_id=post.thread_id,
        thread_title=post.thread.title,
        thread_locked=post.thread.locked,
        board_name=post.thread.board.name,
        byline=byline,
        is_anonymous=post.is_anonymous,
        is_deleted=post.is_deleted,
        state=post.state,
        body_html=post.body_html,
        sanction_handle=signed_author.handle if may_sanction else None,
        can_moderate=policy.can_moderate_post(viewer, post),
        can_hide=policy.can_hide_post(viewer, post),
        can_remove=policy.can_remove_post(viewer, post),
        can_restore=policy.can_restore_post(viewer, post),
        can_reveal=policy.can_reveal_author(viewer, post),
        can_message=policy.can_message_author(viewer, post),
    )


@dataclass(frozen=True)
class QueuedAppeal:
    """An appeal in the queue: the member's words and the decision they appeal."""

    text: str
    action: str
    actor: str
    reason: str


@dataclass(frozen=True)
class QueuedItem:
    """A queue item as its template needs it (no model: its post would reach the author)."""

    id: int
    kind: str
    rank: int
    automatic: bool
    is_open: bool
    opened_at: datetime
    resolved_at: datetime | None
    outcome: str | None
    appeal_id: int | None
    appeal: QueuedAppeal | None
    # The viewer may grant or deny this appeal (not the moderator who acted).
    can_decide: bool


def queued_item(item: ModerationItem, viewer) -> QueuedItem:
    appeal = item.appeal
    shown = None
    if appeal is not None:
        actor = appeal.event.actor
        shown = QueuedAppeal(
            text=appeal.text,
            action=appeal.event.action,
            actor=actor.handle if actor is not None else "system",
            reason=appeal.event.reason,
        )
    return QueuedItem(
        id=item.id,
        kind=item.kind,
        rank=item.rank,
        automatic=item.automatic,
        is_open=item.is_open,
        opened_at=item.opened_at,
        resolved_at=item.resolved_at,
        outcome=item.outcome,
        appeal_id=item.appeal_id,
        appeal=shown,
        can_decide=appeal is not None and policy.can_decide_appeal(viewer, appeal),
    )


@dataclass
class QueueEntry:
    item: QueuedItem
    post: QueuedPost
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


def queue_page(tab: str, viewer, cursor: str | None = None) -> QueuePage:
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
        entries=_entries(items, viewer),
        next_cursor=_cursor(items[-1], kind) if has_more else None,
        open_counts=open_counts(),
    )


def _cursor(item: ModerationItem, kind) -> str:
    if kind is None:
        return encode_cursor(item.resolved_at, item.id)
    return encode_cursor(item.rank, item.opened_at, item.id)


def _entries(items: list[ModerationItem], viewer) -> list[QueueEntry]:
    """Attach the reports and the authors' history: two queries for the whole page. The
    history is a signed post's author's only, and leaves out actions on anonymous posts
    (never remove that filter: it would name their author) and actions overturned on appeal.
    """
    posts = {item.id: item.post for item in items}
    post_ids = {post.id for post in posts.values()}
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
    signed_author = {
        item_id: post.author_id
        for item_id, post in posts.items()
        if post.author_id and not post.is_anonymous
    }
    history = defaultdict(list)
    if signed_author:
        events = db.session.execute(
            select(ModerationEvent)
            .where(
                ModerationEvent.subject_id.in_(set(signed_author.values())),
                ModerationEvent.action.in_(HISTORY_ACTIONS),
                not_about_anonymous_post(),
                not_overturned_on_appeal(),
            )
            .order_by(ModerationEvent.created_at.desc())
        ).scalars()
        for event in events:
            history[event.subject_id].append(event)
    entries = []
    for item in items:
        post = posts[item.id]
        reports = by_post[post.id]
        author_id = signed_author.get(item.id)
        entries.append(
            QueueEntry(
                item=queued_item(item, viewer),
                post=queued_post(post, viewer),
                reports=reports,
                reasons=Counter(report.reason for report in reports),
                history=history[author_id][:5] if author_id else [],
            )
        )
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
        subject = post.alias.name if post.alias is not None else _("an anonymous member")
    elif event.subject is not None:
        subject = _("deleted member") if event.subject.is_deleted else event.subject.handle
    else:
        subject = None
    actor = event.actor
    return LogRow(
        created_at=event.created_at,
        actor=(_("deleted member") if actor.is_deleted else actor.handle) if actor else _("system"),
        action=event.action,
        post_id=event.post_id,
        thread_id=event.thread_id,
        subject=subject,
        subject_is_alias=as_alias,
        board_slug=(event.details or {}).get("slug"),
        reason=event.reason,
    )
