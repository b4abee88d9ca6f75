"""Trust levels: trust is built slowly.

0 (new): the first FORUM_NEW_MEMBER_HOLD posts wait for a moderator, at most
  FORUM_NEW_MEMBER_DAILY_POSTS posts a day, links shown as plain text.
1 (member): reached once those posts were approved and FORUM_TRUST1_DAYS have passed.
2 (trusted): granted by a moderator, or reached after FORUM_TRUST2_DAYS of good standing with
  FORUM_TRUST2_APPROVED_POSTS published posts and no upheld action against them. A trusted
  member's report is enough to hide a post at once, and pre-moderated boards do not hold
  their posts.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Board, Member, Post, utcnow
from forum.models.accounts import MEMBER, NEW, TRUSTED
from forum.policy import posting_block, posting_refusal

TRUST_NAMES = {NEW: "new", MEMBER: "member", TRUSTED: "trusted"}


def _setting(name: str) -> int:
    return current_app.config[name]


def current_trust(member: Member) -> int:
    """The member's trust level, raised first when they have earned more."""
    if member.is_moderator:
        return TRUSTED
    now = utcnow()
    age = now - member.created_at
    if (
        member.trust_level == NEW
        and member.approved_posts >= _setting("FORUM_NEW_MEMBER_HOLD")
        and age >= timedelta(days=_setting("FORUM_TRUST1_DAYS"))
    ):
        member.trust_level = MEMBER
    if (
        member.trust_level == MEMBER
        and member.strikes == 0
        and age >= timedelta(days=_setting("FORUM_TRUST2_DAYS"))
        and member.approved_posts >= _setting("FORUM_TRUST2_APPROVED_POSTS")
    ):
        member.trust_level = TRUSTED
    return member.trust_level


# Why a post waits for a moderator (see hold_reasons).
NEW_MEMBER_POSTS, PRE_MODERATED_BOARD = "new_member_posts", "pre_moderated_board"


def hold_reasons(member: Member, board: Board) -> list[str]:
    """Why a new post by ``member`` on ``board`` waits for a moderator: NEW_MEMBER_POSTS (one
    of a new member's first FORUM_NEW_MEMBER_HOLD posts), PRE_MODERATED_BOARD (the board
    holds the posts of members below trusted), both, or none (it is published at once)."""
    trust = current_trust(member)
    reasons = []
    if trust == NEW and member.approved_posts < _setting("FORUM_NEW_MEMBER_HOLD"):
        reasons.append(NEW_MEMBER_POSTS)
    if board.moderation_mode == "pre" and trust < TRUSTED:
        reasons.append(PRE_MODERATED_BOARD)
    return reasons


def must_hold(member: Member, board: Board) -> bool:
    """Whether a new post by ``member`` on ``board`` waits for a moderator."""
    return bool(hold_reasons(member, board))


def links_allowed(member: Member) -> bool:
    """New members' links are shown as plain text (a common spam path)."""
    return current_trust(member) > NEW


def over_daily_limit(member: Member) -> bool:
    """Whether a new member has reached their posts for the last 24 hours."""
    if current_trust(member) > NEW:
        return False
    since = utcnow() - timedelta(days=1)
    posted = db.session.execute(
        select(func.count(Post.id)).where(Post.author_id == member.id, Post.created_at >= since)
    ).scalar_one()
    return posted >= _setting("FORUM_NEW_MEMBER_DAILY_POSTS")


def posting_problem(member: Member) -> tuple[int, str] | None:
    """(HTTP status, message) when ``member`` may not post right now, else None (the rule is
    policy.posting_refusal; this gathers what it needs)."""
    over = posting_block(member) is None and over_daily_limit(member)
    return posting_refusal(member, over, _setting("FORUM_NEW_MEMBER_DAILY_POSTS"))
