"""Moderator actions on posts, threads and members. Each writes its audit-log row and tells
the people it affects, in the same transaction. They flush, never commit."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.auth.services import end_all_sessions
from forum.display import with_reason
from forum.extensions import db
from forum.models import Board, Member, Post, Thread, utcnow
from forum.models.moderation import ITEM_HELD, ITEM_PRIVATE, ITEM_REPORTS
from forum.models.posts import HELD, HIDDEN, PENDING_REVIEW, PUBLISHED, REJECTED, REMOVED
from forum.moderation.log import notify, post_link, record
from forum.moderation.reports import close_reports
from forum.queue import resolve_open_items
from forum.threads.services import publish_post
from forum.warnings import ContentWarning, apply_warning, warning_of

SILENCE_DAYS = (1, 3, 7, 30)
OUTCOMES = {"hide": "hidden", "remove": "removed"}
REVIEWED = _l("Thank you for your report. A moderator has reviewed it.")
APPEAL_ONCE = "You may appeal this once."


class ActionRefused(Exception):
    """The action does not apply to this post, thread or member as it is now."""


def _close_review(moderator, post: Post, outcome: str, upheld: bool) -> None:
    for reporter_id in close_reports(post, upheld=upheld):
        notify(reporter_id, REVIEWED, link=post_link(post))
    resolve_open_items(post, moderator, outcome, kinds=[ITEM_REPORTS, ITEM_HELD, ITEM_PRIVATE])


def approve_post(moderator, post: Post, reason: str = "") -> None:
    """Approve a held post, or keep a reported one: reports dismissed, the post shown."""
    if post.state == HELD:
        publish_post(post, post.thread, post.thread.board, was_held=True)
        notify(
            post.author_id,
            _l("A moderator approved your post. It is now visible to everyone."),
            link=post_link(post),
        )
    elif post.state == PENDING_REVIEW:
        post.state = PUBLISHED
    _close_review(moderator, post, "approved", upheld=False)
    record(moderator, "approve", post=post, reason=reason)


def hide_post(moderator, post: Post, reason: str) -> None:
    """Hide a post from everyone but its author (who sees the reason) and moderators."""
    if post.state in (HELD, REJECTED, REMOVED) or post.is_deleted:
        raise ActionRefused(_("Only a visible post can be hidden."))
    _sanction_post(moderator, post, HIDDEN, "hide", reason, "A moderator hid your post from others")


def remove_post(moderator, post: Post, reason: str) -> None:
    """Remove a post: "[removed by a moderator]" in its place, its replies keep theirs.

    A held post that is removed was never public: it is rejected and stays out of the tree.
    """
    if post.state in (REMOVED, REJECTED):
        raise ActionRefused(_("This post is already removed."))
    if post.state == HELD:
        if post.thread.first_post_id != post.id:
            post.thread.held_count = Thread.held_count - 1
        _sanction_post(
            moderator,
            post,
            REJECTED,
            "remove",
            reason,
            "A moderator did not approve your post",
        )
        return
    _sanction_post(moderator, post, REMOVED, "remove", reason, "A moderator removed your post")


def _sanction_post(moderator, post, state, action, reason, lead) -> None:
    post.state, post.moderation_reason = state, reason
    if post.author is not None:
        post.author.strikes = Member.strikes + 1
    _close_review(moderator, post, OUTCOMES[action], upheld=True)
    event = record(moderator, action, post=post, reason=reason)
    notify(
        post.author_id,
        f"{with_reason(lead, reason)} {APPEAL_ONCE}",
        link=post_link(post),
        appealable=event,
    )


def restore_post(moderator, post: Post, reason: str = "", *, tell_author: bool = True) -> None:
    """Undo a hide or removal (or publish a rejected post after all). ``tell_author=False``
    when the caller tells them itself (a granted appeal: one notice per decision)."""
    if post.state not in (HIDDEN, REMOVED, REJECTED, PENDING_REVIEW):
        raise ActionRefused(_("This post is not hidden or removed."))
    if post.state == REJECTED:
        publish_post(post, post.thread, post.thread.board)
    post.state, post.moderation_reason = PUBLISHED, None
    _close_review(moderator, post, "restored", upheld=False)
    record(moderator, "restore", post=post, reason=reason)
    if tell_author:
        notify(post.author_id, _l("A moderator restored your post."), link=post_link(post))


def set_thread_flag(moderator, thread: Thread, action: str, reason: str = "") -> None:
    """lock, unlock, pin or unpin a thread."""
    flags = {
        "lock": ("locked", True),
        "unlock": ("locked", False),
        "pin": ("pinned", True),
        "unpin": ("pinned", False),
    }
    attribute, value = flags[action]
    setattr(thread, attribute, value)
    record(moderator, action, thread=thread, reason=reason)


def move_thread(moderator, thread: Thread, destination: Board, reason: str = "") -> None:
    """Move a thread to another board, carrying its counts and fixing both boards' latest."""
    origin = thread.board
    if destination.id == origin.id:
        raise ActionRefused(_("The thread is already on that board."))
    posts = thread.reply_count + 1
    if not thread.held:
        origin.thread_count = Board.thread_count - 1
        origin.post_count = Board.post_count - posts
        destination.thread_count = Board.thread_count + 1
        destination.post_count = Board.post_count + posts
    thread.board_id = destination.id
    db.session.flush()
    for board in (origin, destination):
        _refresh_latest(board)
    record(
        moderator,
        "move",
        thread=thread,
        reason=reason,
        origin=origin.slug,
        destination=destination.slug,
    )


def _refresh_latest(board: Board) -> None:
    latest = db.session.execute(
        select(Thread)
        .where(Thread.board_id == board.id, Thread.held.is_(False), Thread.is_private.is_(False))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    board.last_post_id = latest.last_post_id if latest else None
    board.last_activity_at = latest.last_activity_at if latest else None


def silence_member(moderator, member: Member, days: int, reason: str) -> datetime:
    """The member can read but not post or report for ``days`` days."""
    if days not in SILENCE_DAYS:
        raise ActionRefused(_("Silence for 1, 3, 7 or 30 days."))
    member.silenced_until = utcnow() + timedelta(days=days)
    event = record(moderator, "silence", subject_id=member.id, reason=reason, days=days)
    lead = f"A moderator paused your posting for {days} day{'s' if days != 1 else ''}"
    notify(member.id, f"{with_reason(lead, reason)} {APPEAL_ONCE}", appealable=event)
    return member.silenced_until


def suspend_member(moderator, member: Member, until: datetime, reason: str) -> None:
    """The member cannot log in until ``until``; their sessions end now."""
    if until <= utcnow():
        raise ActionRefused(_("Choose a date in the future."))
    member.suspended_until = until
    end_all_sessions(member)
    record(moderator, "suspend", subject_id=member.id, reason=reason, until=until.isoformat())


def reinstate_member(
    moderator, member: Member, reason: str = "", *, tell_member: bool = True
) -> None:
    """End a silence or a suspension (``tell_member=False``: the caller tells them)."""
    member.silenced_until = member.suspended_until = None
    record(moderator, "reinstate", subject_id=member.id, reason=reason)
    if tell_member:
        notify(member.id, _l("A moderator has lifted the restrictions on your account."))


def set_trust(moderator, member: Member, level: int, reason: str = "") -> None:
    """Grant or take back trust level 2 (trusted)."""
    if level not in (1, 2):
        raise ActionRefused(_("Trust can be set to 1 (member) or 2 (trusted)."))
    member.trust_level = level
    record(moderator, "trust", subject_id=member.id, reason=reason, level=level)


def reveal_author(moderator, post: Post, reason: str) -> Member:
    """Show a moderator who wrote an anonymous post; every reveal is in the audit log."""
    record(moderator, "reveal", post=post, reason=reason)
    return post.author


def set_warning(moderator, post: Post, warning: ContentWarning | None, reason: str) -> None:
    """Add, change or remove a post's content warning."""
    if warning == warning_of(post):
        raise ActionRefused(_("The post already has that content warning."))
    apply_warning(post, warning)
    record(
        moderator,
        "warning",
        post=post,
        reason=reason,
        warning=warning.logged_label if warning else "none",
    )
