"""Email digests of unread notifications: who is due one, building and sending them, and the
member's email settings.

By default a digest holds counts and links only, never anyone's words: an inbox may be shared
and a lock screen shows previews. Members may opt in to short excerpts (see compose.py).
"""

from contextlib import ExitStack
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from forum.account.services import password_matches
from forum.digest import compose, mailer
from forum.digest.addresses import normalize_email
from forum.extensions import db
from forum.i18n import in_language
from forum.models import Member, Notice, Post

OFF, DAILY, WEEKLY = "off", "daily", "weekly"
FREQUENCIES = (OFF, DAILY, WEEKLY)
# A little under a day and a week, so a cron job at the same hour never slips a whole day.
INTERVALS = {DAILY: timedelta(hours=23), WEEKLY: timedelta(days=6, hours=23)}
MAX_LISTED = 25
CONFIRM_IT_IS_YOU = _l("Please enter your password to add or change your email address.")
NOT_YOURS = _l("That is not your password.")


def email_available() -> bool:
    """Whether this forum can send email at all (FORUM_SMTP_URL is set)."""
    return bool(current_app.config.get("FORUM_SMTP_URL"))


def due_members(now: datetime) -> list[Member]:
    """Members whose digest is due at ``now``: an address, a frequency, not deleted, not on a
    break, and the last digest at least 23 hours (daily) or 6 days 23 hours (weekly) ago."""
    timing = or_(
        Member.last_digest_at.is_(None),
        and_(Member.digest == DAILY, Member.last_digest_at <= now - INTERVALS[DAILY]),
        and_(Member.digest == WEEKLY, Member.last_digest_at <= now - INTERVALS[WEEKLY]),
    )
    query = (
        select(Member)
        .where(
            Member.email.is_not(None),
            Member.digest.in_((DAILY, WEEKLY)),
            Member.deleted_at.is_(None),
            or_(Member.break_until.is_(None), Member.break_until <= now),
            timing,
        )
        .order_by(Member.id)
    )
    return list(db.session.execute(query).scalars())


def build_digest(member: Member) -> EmailMessage | None:
    """The digest email for ``member``, or None when nothing is new since their last one."""
    if not member.email:
        return None
    counts = dict(
        db.session.execute(
            select(Notice.kind, func.count(Notice.id))
            .where(_new_notices(member))
            .group_by(Notice.kind)
        ).all()
    )
    total = sum(counts.values())
    if not total:
        return None
    listed = list(
        db.session.execute(
            select(Notice).where(_new_notices(member)).order_by(Notice.id).limit(MAX_LISTED)
        ).scalars()
    )
    posts = _posts_of(listed) if member.digest_excerpts else {}
    # In the member's language (their setting; the forum's default when they chose none).
    with compose.site_context(), in_language(member.language):
        subject = ngettext(
            "You have %(num)d new notification on %(site)s",
            "You have %(num)d new notifications on %(site)s",
            total,
            site=current_app.config["FORUM_NAME"],
        )
        body = render_template(
            "digest/email.txt",
            total=total,
            counts=compose.count_lines(counts),
            lines=[
                compose.digest_line(notice, posts.get(notice.post_id), member.digest_excerpts)
                for notice in listed
            ],
            more=total - len(listed),
            notices_url=compose.notices_page_url(),
            settings_url=compose.settings_url(),
            frequency=member.digest,
            excerpts=member.digest_excerpts,
            quiet=member.quiet_mode,
        )
        return compose.email_message(member.email, subject, body)


def send_digests(now: datetime, smtp_url: str) -> int:
    """Send every due member their digest over one SMTP connection; how many were sent.

    Unlike other services this commits: an email cannot be unsent, so each member's
    ``last_digest_at`` is saved as soon as theirs is sent, and a failure later in the run
    never sends it twice. No transaction stays open while the mail server is talking.
    """
    member_ids = [member.id for member in due_members(now)]
    db.session.commit()
    sent = 0
    with ExitStack() as stack:
        connection = None
        for member_id in member_ids:
            message = build_digest(db.session.get(Member, member_id))
            db.session.commit()
            if message is None:
                continue
            if connection is None:
                connection = stack.enter_context(mailer.smtp_connection(smtp_url))
            try:
                mailer.send_message(connection, message)
            except mailer.AddressRefused:
                current_app.logger.warning("The mail server refused member %s's digest.", member_id)
                continue
            db.session.execute(
                update(Member).where(Member.id == member_id).values(last_digest_at=now)
            )
            db.session.commit()
            sent += 1
    return sent


def _new_notices(member: Member):
    """``member``'s unread notices since their last digest (quiet mode: moderators' only)."""
    conditions = [Notice.member_id == member.id, Notice.read_at.is_(None)]
    if member.last_digest_at is not None:
        conditions.append(Notice.created_at > member.last_digest_at)
    if member.quiet_mode:
        conditions.append(Notice.kind == compose.MODERATION)
    return and_(*conditions)


def _posts_of(notices: list[Notice]) -> dict[int, Post]:
    """The posts the notices are about, with what an excerpt needs, in one query each."""
    ids = {notice.post_id for notice in notices if notice.post_id is not None}
    if not ids:
        return {}
    query = (
        select(Post)
        .where(Post.id.in_(ids))
        .options(selectinload(Post.thread), selectinload(Post.alias), selectinload(Post.author))
    )
    return {post.id: post for post in db.session.execute(query).scalars()}


def address_change_problem(member: Member, address: str | None, password: str | None) -> str | None:
    """Why ``member`` may not set ``address`` now: adding or changing one needs the password
    (removing it never does, so stopping email is always easy)."""
    new = normalize_email(address)
    if new is None or new == member.email:
        return None
    if not password:
        return str(CONFIRM_IT_IS_YOU)
    return None if password_matches(member, password) else str(NOT_YOURS)


def save_email_settings(member: Member, *, address: str | None, digest: str, excerpts: bool):
    """Store the address (as typed, domain lower-cased), the frequency and the excerpt choice."""
    member.email = normalize_email(address)
    member.digest = digest if member.email and digest in FREQUENCIES else OFF
    member.digest_excerpts = bool(excerpts and member.email)
    db.session.flush()


def remove_email(member: Member) -> bool:
    """Forget ``member``'s address and stop their digest; whether anything changed."""
    changed = member.email is not None or member.digest != OFF or member.digest_excerpts
    member.email, member.digest, member.digest_excerpts = None, OFF, False
    db.session.flush()
    return changed
