"""Blocking: a member shuts out someone who hurts them, without that person being told."""

from sqlalchemy import delete, select

from forum.extensions import db
from forum.models import Block, Member, utcnow


class BlockRefused(Exception):
    """This block cannot be made (oneself)."""


def block_member(blocker: Member, blocked: Member, shown_as: str) -> Block:
    """Block ``blocked`` for ``blocker``; ``shown_as`` is how the blocker knows them (a handle,
    or an anonymous alias: never the account behind it)."""
    if blocker.id == blocked.id:
        raise BlockRefused("You cannot block yourself.")
    existing = db.session.execute(
        select(Block).filter_by(blocker_id=blocker.id, blocked_id=blocked.id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    block = Block(
        blocker_id=blocker.id, blocked_id=blocked.id, shown_as=shown_as, created_at=utcnow()
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
    result = db.session.execute(
        delete(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == blocked.id)
    )
    return result.rowcount > 0


def has_blocked(blocker_id: int | None, blocked_id: int | None) -> bool:
    """Whether ``blocker_id`` blocked ``blocked_id`` (one indexed query)."""
    if not blocker_id or not blocked_id:
        return False
    return (
        db.session.execute(
            select(Block.id).filter_by(blocker_id=blocker_id, blocked_id=blocked_id)
        ).first()
        is not None
    )


def blocks_of(member: Member) -> list[Block]:
    """The member's blocks, newest first, for their settings page."""
    return list(
        db.session.execute(
            select(Block).filter_by(blocker_id=member.id).order_by(Block.id.desc())
        ).scalars()
    )
