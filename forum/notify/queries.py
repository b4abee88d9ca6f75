"""Reading notifications: a page of them, worded for the member, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.display import byline_of
from forum.extensions import db
from forum.models import Appeal, Notice, Post
from forum.models.care import REACTIONS
from forum.paging import encode_cursor

PER_PAGE = 30


@dataclass(frozen=True)
class NotificationView:
    """A notification as the member reads it: its words and where it leads."""

    id: int
    text: str
    link: str | None
    created_at: datetime
    read_at: datetime | None
    # The decision the member may still appeal (a link), or whether they already did.
    appeal_event_id: int | None
    appeal_sent: bool = False

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True)
class NotificationPage:
    items: list[NotificationView]
    next_cursor: str | None


def notification_page(member, before_id: int | None = None) -> NotificationPage:
    """Newest first, keyset-paged by id; at most three queries (notices, their posts, the
    appeals already made against the decisions they tell about)."""
    statement = (
        select(Notice)
        .where(Notice.member_id == member.id)
        .order_by(Notice.id.desc())
        .limit(PER_PAGE + 1)
    )
    if before_id:
        statement = statement.where(Notice.id < before_id)
    notices = list(db.session.execute(statement).scalars())
    more = len(notices) > PER_PAGE
    notices = notices[:PER_PAGE]
    posts = _posts_of(notices)
    appealed = _appealed_events({notice.event_id for notice in notices if notice.event_id})
    items = [_view(notice, posts.get(notice.post_id), appealed) for notice in notices]
    return NotificationPage(
        items=items, next_cursor=encode_cursor(notices[-1].id) if more else None
    )


def every_notification(member) -> list[NotificationView]:
    """All the member's notifications, oldest first, worded as the page words them (for the
    data export); three queries, as for a page."""
    notices = list(
        db.session.execute(
            select(Notice).where(Notice.member_id == member.id).order_by(Notice.id)
        ).scalars()
    )
    posts = _posts_of(notices)
    appealed = _appealed_events({notice.event_id for notice in notices if notice.event_id})
    return [_view(notice, posts.get(notice.post_id), appealed) for notice in notices]


def _posts_of(notices: list[Notice]) -> dict[int, Post]:
    """The posts the notices are about, with what their wording needs (one query)."""
    post_ids = {notice.post_id for notice in notices if notice.post_id}
    if not post_ids:
        return {}
    return {
        post.id: post
        for post in db.session.execute(
            select(Post)
            .where(Post.id.in_(post_ids))
            .options(joinedload(Post.author), joinedload(Post.alias), joinedload(Post.thread))
        ).scalars()
    }


def _appealed_events(event_ids: set[int]) -> set[int]:
    if not event_ids:
        return set()
    return set(
        db.session.execute(select(Appeal.event_id).where(Appeal.event_id.in_(event_ids))).scalars()
    )


def _view(notice: Notice, post: Post | None, appealed: set[int]) -> NotificationView:
    sent = notice.event_id in appealed
    return NotificationView(
        id=notice.id,
        text=wording(notice, post),
        link=notice.link or (f"/p/{post.id}" if post else None),
        created_at=notice.created_at,
        read_at=notice.read_at,
        appeal_event_id=None if sent else notice.event_id,
        appeal_sent=sent,
    )


def wording(notice: Notice, post: Post | None) -> str:
    """What a notification says. Names are public bylines: an alias for anonymous posts."""
    if notice.kind == "notice" or post is None:
        # Stored in English; a fixed sentence the catalog knows is shown in the reader's
        # language (see forum.moderation.log.notify), anything else as it was written.
        return _(notice.text) if notice.text else notice.text
    someone = _("Someone")
    who = (byline_of(post).name or someone) if not post.is_deleted else someone
    title = post.thread.title
    if notice.kind == "reply":
        return _("%(who)s replied to you in “%(title)s”.", who=who, title=title)
    if notice.kind == "thread":
        return _("%(who)s replied in “%(title)s”, a thread you follow.", who=who, title=title)
    if notice.kind == "board_thread":
        return _(
            "%(who)s started “%(title)s” on %(board)s.",
            who=who,
            title=title,
            board=post.thread.board.name,
        )
    if notice.kind == "mention":
        return _("%(who)s mentioned you in “%(title)s”.", who=who, title=title)
    if notice.kind == "reaction":
        label = str(REACTIONS.get(notice.text, "support")).lower()
        return ngettext(
            "%(num)d person sent “%(reaction)s” on your post in “%(title)s”.",
            "%(num)d people sent “%(reaction)s” on your post in “%(title)s”.",
            notice.count,
            reaction=label,
            title=title,
        )
    return notice.text or _("Something new in “%(title)s”.", title=title)


def unread_count(member) -> int:
    """How many notifications the member has not read (the header shows it on every page)."""
    from sqlalchemy import func

    return db.session.execute(
        select(func.count(Notice.id)).where(Notice.member_id == member.id, Notice.read_at.is_(None))
    ).scalar_one()
