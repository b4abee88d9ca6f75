"""Who may do what: ``can_*`` checks used by views and templates, and ``require`` to enforce.

Every check runs on the server; templates use the same functions only to hide buttons.
"""

from flask import abort
from flask_babel import gettext as _

from forum.models import Board, Member, Post, Thread, utcnow
from forum.models.posts import (
    HELD,
    HIDDEN,
    PENDING_REVIEW,
    PUBLISHED,
    REJECTED,
    REMOVED,
    UNPUBLISHED_STATES,
)
from forum.warnings import warning_of


def is_member(member) -> bool:
    """True for a logged-in member (Flask-Login's anonymous user is not one)."""
    return bool(member is not None and getattr(member, "is_authenticated", False))


def is_moderator(member) -> bool:
    return is_member(member) and member.is_moderator


def is_admin(member) -> bool:
    return is_member(member) and member.is_admin


def posting_block(member) -> str | None:
    """Why ``member`` may not post or report right now (silenced), or None."""
    if is_member(member) and member.is_silenced(utcnow()):
        until = member.silenced_until.strftime("%d %B %Y, %H:%M UTC")
        return _(
            "A moderator has paused your posting until %(until)s. You can still read.", until=until
        )
    return None


def posting_refusal(member, over_daily_limit: bool, daily_limit: int) -> tuple[int, str] | None:
    """(HTTP status, what the member reads) when ``member`` may not post now, else None:
    paused by a moderator, or a new member past their posts for the day."""
    block = posting_block(member)
    if block:
        return 403, _("%(reason)s Your text is kept below so you can copy it.", reason=block)
    if over_daily_limit:
        return 429, _(
            "New members can post %(limit)d times a day while they find their feet. "
            "Your text is kept below: please post it a little later.",
            limit=daily_limit,
        )
    return None


def can_start_thread(member, board: Board | None = None) -> bool:
    return is_member(member) and (board is None or not board.archived or is_moderator(member))


def can_reply(member, thread: Thread) -> bool:
    """Locked threads and archived boards take no replies (moderators may still answer).
    A private conversation is on no board for its member: only a lock closes it."""
    closed = thread.locked or (thread.board.archived and not thread.is_private)
    return is_member(member) and (not closed or is_moderator(member))


def can_post_anonymously(thread: Thread) -> bool:
    """Anywhere but a private conversation with the moderators: there a member appears as
    they did where it began (their handle, or the alias of the anonymous post a moderator
    wrote to them about), never as a new alias."""
    return not thread.is_private


def can_follow_thread(member, thread: Thread) -> bool:
    """Following is for public threads: a private conversation tells its member and the
    moderators of every answer anyway."""
    return is_member(member) and not thread.is_private


def can_choose_reply_wish(member, thread: Thread) -> bool:
    """Only a public thread's author may ask not to be listed as waiting for a reply."""
    opening = thread.first_post
    return opening is not None and owns_post(member, opening) and not thread.is_private


def owns_post(member, post: Post) -> bool:
    return is_member(member) and post.author_id is not None and post.author_id == member.id


def can_edit_post(member, post: Post) -> bool:
    return owns_post(member, post) and not post.is_deleted and post.state in (PUBLISHED, HELD)


def can_see_history(member, post: Post) -> bool:
    """Earlier versions of a post: its author and the moderators only (members edit to take
    out what identifies them, so they are never public)."""
    return not post.is_deleted and (owns_post(member, post) or is_moderator(member))


def can_delete_post(member, post: Post) -> bool:
    return owns_post(member, post) and not post.is_deleted


def can_see_post(member, post: Post) -> bool:
    """Held and rejected posts exist only for their author and the moderators."""
    if post.state not in UNPUBLISHED_STATES:
        return True
    return owns_post(member, post) or is_moderator(member)


def can_see_thread(member, thread: Thread, owner_id: int | None) -> bool:
    """A thread whose opening post waits for approval, or a private conversation with the
    moderators, is the moderators' and one member's only: ``owner_id``, its author, or the
    member a moderator wrote to (see forum.conversations.member_id_of)."""
    if not thread.held and not thread.is_private:
        return True
    return is_moderator(member) or (is_member(member) and member.id == owner_id)


def can_report_post(member, post: Post) -> bool:
    """Others' posts, except in a private conversation: there only the member and the
    moderators write, and the moderators already read everything."""
    return (
        is_member(member)
        and not owns_post(member, post)
        and not post.is_deleted
        and posting_block(member) is None
        and not post.thread.is_private
    )


def can_react_to(member, post: Post, refused_by_author: bool = False) -> bool:
    """Supportive reactions: never to one's own post, nor to the signed post of someone who
    blocked you (``refused_by_author``: see forum.care.blocks.BlockSets.refuses)."""
    return (
        is_member(member)
        and not owns_post(member, post)
        and not post.is_deleted
        and post.state == PUBLISHED
        and (not refused_by_author or is_moderator(member))
    )


def can_answer(member, refused_by_author: bool) -> bool:
    """Whether ``member`` may reply to a post whose author may have blocked them (moderators
    can never be blocked from acting)."""
    return not refused_by_author or is_moderator(member)


def can_block(member, post: Post) -> bool:
    """Anyone may block the face of a post that is not theirs: the alias of an anonymous
    post whoever is behind it, the member of a signed post while their account exists."""
    if not is_member(member) or owns_post(member, post) or post.is_deleted:
        return False
    if post.thread.is_private:
        return False  # a conversation with the moderators, who can never be blocked
    return post.is_anonymous or post.author_id is not None


def can_quote_in_digest(post: Post | None) -> bool:
    """Whether an email digest may quote ``post`` at all: published, not deleted, in a
    listed thread. Posts behind a content warning are never quoted: an inbox would skip the
    warning."""
    return (
        post is not None
        and not post.is_deleted
        and post.state == PUBLISHED
        and not post.thread.held
        and not post.thread.is_private
        and warning_of(post) is None
    )


def can_see_waiting_list(member) -> bool:
    """Trusted members and moderators can welcome those still waiting for a first reply."""
    return is_moderator(member) or (is_member(member) and member.trust_level >= 2)


def can_moderate_post(moderator, post: Post) -> bool:
    """Moderators act on others' posts only: never on reports about their own."""
    return is_moderator(moderator) and not owns_post(moderator, post)


def can_hide_post(moderator, post: Post) -> bool:
    """A post others can read (or one waiting for review after reports) can be hidden."""
    return (
        can_moderate_post(moderator, post)
        and not post.is_deleted
        and post.state in (PUBLISHED, PENDING_REVIEW)
    )


def can_remove_post(moderator, post: Post) -> bool:
    """Any post not already removed or deleted by its author (a held one is rejected)."""
    return (
        can_moderate_post(moderator, post)
        and not post.is_deleted
        and post.state not in (REMOVED, REJECTED)
    )


def can_restore_post(moderator, post: Post) -> bool:
    return can_moderate_post(moderator, post) and post.state in (HIDDEN, REMOVED)


def can_reveal_author(moderator, post: Post) -> bool:
    """Only an anonymous post has an author to reveal (the reveal is audit-logged)."""
    return can_moderate_post(moderator, post) and post.is_anonymous


def can_set_warning(moderator, post: Post) -> bool:
    return can_moderate_post(moderator, post) and not post.is_deleted


def can_sanction(moderator, member: Member) -> bool:
    """Silence, suspend, reinstate or set trust: moderators act on members; only an admin
    acts on a moderator (so one moderator cannot silence the others); nobody acts on an
    admin or on themselves."""
    if not is_moderator(moderator) or member.role == "admin" or member.id == moderator.id:
        return False
    return member.role != "moderator" or is_admin(moderator)


# The moderator actions their subject may appeal, once each.
APPEALABLE_ACTIONS = ("hide", "remove", "silence")


def appeal_block(member, event, already_appealed: bool) -> str | None:
    """Why ``member`` may not appeal the moderation ``event``, or None: only the member it
    was about, once, and only against hiding, removing or silencing."""
    if not is_member(member) or event.subject_id != member.id:
        return _("Only the member a decision was about can appeal it.")
    if event.action not in APPEALABLE_ACTIONS:
        return _("This decision cannot be appealed.")
    if already_appealed:
        return _("You have already appealed this decision.")
    return None


def appeal_decision_block(moderator, appeal) -> str | None:
    """Why ``moderator`` may not decide ``appeal`` (``appeal.event`` loaded), or None: it is
    decided already, or it is against their own action (another moderator must decide)."""
    if not is_moderator(moderator):
        return _("Only a moderator can decide an appeal.")
    if appeal.outcome is not None:
        return _("This appeal has already been decided.")
    if appeal.event.actor_id == moderator.id:
        return _("A different moderator must decide an appeal against your action.")
    return None


def can_decide_appeal(moderator, appeal) -> bool:
    return appeal_decision_block(moderator, appeal) is None


def can_message_author(moderator, post: Post) -> bool:
    """Moderators may write privately to the author of any post but their own, even an
    anonymous one (whose author they are never shown); in a private conversation they
    answer in it instead."""
    author = post.author if is_moderator(moderator) else None
    return (
        author is not None
        and not author.is_deleted
        and not owns_post(moderator, post)
        and not post.thread.is_private
    )


def can_message_member(moderator, member: Member) -> bool:
    """Moderators may write privately to any member but themselves (admins included)."""
    return is_moderator(moderator) and member.id != moderator.id and not member.is_deleted


def require(allowed: bool, status: int = 403) -> None:
    """Abort with ``status`` unless ``allowed``."""
    if not allowed:
        abort(status)
