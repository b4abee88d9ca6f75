"""Blocking: a member shuts out someone who hurts them, without that person being told.

A block is keyed on the *face* the blocker saw, never on the account behind an alias:

- a block by handle (from a profile or a signed post) collapses that member's signed posts;
- a block made from an anonymous post collapses that alias's posts in that thread only.

So nothing the blocker sees (collapsed posts, notices, search results) depends on who wrote
an anonymous post. The blocked person, in turn, cannot reply to or react to the blocker's
*signed* posts (in that one thread, for an alias block): only they see that refusal, and being
blocked never changes what anyone can do to the blocker's anonymous posts, so it cannot tell
them which anonymous posts are the blocker's.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, select

from forum.extensions import db
from forum.models import Block, Member, Post, utcnow


class BlockRefused(Exception):
    """This block cannot be made (oneself)."""


def block_member(blocker: Member, blocked: Member) -> Block:
    """Block ``blocked``'s signed posts for ``blocker`` (a block by handle)."""
    if blocker.id == blocked.id:
        raise BlockRefused(_("You cannot block yourself."))
    existing = db.session.execute(
        select(Block).where(
            Block.blocker_id == blocker.id,
            Block.blocked_id == blocked.id,
            Block.alias_id.is_(None),
        )
    ).scalar_one_or_none()
    return existing or _add(blocker, blocked.id, blocked.handle)


def block_face_of(blocker: Member, post: Post) -> Block:
    """Block whoever wrote ``post`` as they appear on it: the alias of an anonymous post (in
    its thread only), the member of a signed one."""
    if not post.is_anonymous:
        return block_member(blocker, post.author)
    if post.author_id == blocker.id:
        raise BlockRefused(_("You cannot block yourself."))
    alias = post.alias
    existing = db.session.execute(
        select(Block).filter_by(blocker_id=blocker.id, alias_id=alias.id)
    ).scalar_one_or_none()
    return existing or _add(blocker, alias.member_id, alias.name, alias_id=alias.id)


def _add(blocker: Member, blocked_id: int, shown_as: str, alias_id: int | None = None) -> Block:
    block = Block(
        blocker_id=blocker.id,
        blocked_id=blocked_id,
        alias_id=alias_id,
        shown_as=shown_as,
        created_at=utcnow(),
    )
    db.session.add(block)
    db.session.flush()
    return block


def unblock(blocker: Member, block_id: int) -> bool:
    """Remove one of the blocker's own blocks; False when there was no such block."""
    result = db.session.execute(
        delete(Block).where(Block.id == block_id, Block.blocker_id == blocker.id)
    )
    return result.rowcount > 0


def unblock_member(blocker: Member, blocked: Member) -> bool:
    """Undo a block by handle (blocks of aliases are undone one by one in settings)."""
    result = db.session.execute(
        delete(Block).where(
            Block.blocker_id == blocker.id,
            Block.blocked_id == blocked.id,
            Block.alias_id.is_(None),
        )
    )
    return result.rowcount > 0


def blocks_of(member: Member) -> list[Block]:
    """The member's blocks, newest first, for their settings page."""
    return list(
        db.session.execute(
            select(Block).filter_by(blocker_id=member.id).order_by(Block.id.desc())
        ).scalars()
    )
