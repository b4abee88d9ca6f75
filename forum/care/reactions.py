"""Supportive reactions: a small fixed set, counted, never a score or a ranking."""

from flask_babel import gettext as _
from sqlalchemy import delete, select

from forum.extensions import db
from forum.models import Post, Reaction, utcnow
from forum.models.care import REACTIONS
from forum.notify.services import support_sent


class ReactionRefused(Exception):
    """This member may not react to this post."""


def toggle_reaction(member, post: Post, kind: str) -> bool:
    """Add the member's reaction of ``kind``, or take it back; True when it is now there."""
    if kind not in REACTIONS:
        raise ReactionRefused(_("Choose one of the reactions shown under the post."))
    existing = db.session.execute(
        select(Reaction).filter_by(post_id=post.id, member_id=member.id, kind=kind)
    ).scalar_one_or_none()
    if existing is not None:
        db.session.execute(delete(Reaction).where(Reaction.id == existing.id))
        return False
    db.session.add(Reaction(post_id=post.id, member_id=member.id, kind=kind, created_at=utcnow()))
    db.session.flush()
    support_sent(post, member, kind)
    return True
