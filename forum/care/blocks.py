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

from dataclasses import dataclass, field

from sqlalchemy import and_, delete, or_, select

from forum.extensions import db
from forum.models import Block, Member, Post, ThreadAlias, utcnow


class BlockRefused(Exception):
    """This block cannot be made (oneself)."""


@dataclass(frozen=True)
class BlockSets:
    """What a reader's blocks mean for the posts of one page, from one query."""

    # Faces the reader blocked: members (their signed posts) and aliases.
    members: frozenset[int] = field(default_factory=frozenset)
    aliases: frozenset[int] = field(default_factory=frozenset)
    # Who blocked the reader: by handle, and (blocker, thread) for a block of one of the
    # reader's aliases.
    by_members: frozenset[int] = field(default_factory=frozenset)
    by_in_thread: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def collapses(self, post: Post) -> bool:
        """The reader blocked the face this post shows."""
        if post.is_anonymous:
            return post.alias_id is not None and post.alias_id in self.aliases
        return post.author_id is not None and post.author_id in self.members

    def refuses(self, post: Post) -> bool:
        """The post's author blocked the reader: no replies or reactions to their *signed*
        posts (an anonymous post is never refused, whoever wrote it)."""
        if post.is_anonymous or post.author_id is None:
            return False
        return (
            post.author_id in self.by_members
            or (post.author_id, post.thread_id) in self.by_in_thread
        )


NO_BLOCKS = BlockSets()


def block_sets(viewer) -> BlockSets:
    """The reader's blocks in both directions (one query; none for lurkers)."""
    if not getattr(viewer, "is_authenticated", False):
        return NO_BLOCKS
    rows = db.session.execute(
        select(Block.blocker_id, Block.blocked_id, Block.alias_id, ThreadAlias.thread_id)
        .outerjoin(ThreadAlias, ThreadAlias.id == Block.alias_id)
        .where(or_(Block.blocker_id == viewer.id, Block.blocked_id == viewer.id))
    ).all()
    members, aliases, by_members, by_in_thread = set(), set(), set(), set()
    for blocker_id, blocked_id, alias_id, thread_id in rows:
        if blocker_id == viewer.id:
            (aliases if alias_id else members).add(alias_id or blocked_id)
        if blocked_id == viewer.id:
            if alias_id:
                by_in_thread.add((blocker_id, thread_id))
            else:
                by_members.add(blocker_id)
    return BlockSets(
        frozenset(members), frozenset(aliases), frozenset(by_members), frozenset(by_in_thread)
    )


def refused_by_author(viewer, post: Post) -> bool:
    """Whether ``post``'s author blocked ``viewer`` (for one post, outside a page)."""
    if post.is_anonymous or post.author_id is None:
        return False
    return block_sets(viewer).refuses(post)


def blocked_face(blocker_ids, post: Post):
    """SQL: the blocks among ``blocker_ids`` that collapse ``post``'s face (for notices)."""
    if post.is_anonymous:
        return and_(Block.blocker_id.in_(list(blocker_ids)), Block.alias_id == post.alias_id)
    return and_(
        Block.blocker_id.in_(list(blocker_ids)),
        Block.blocked_id == post.author_id,
        Block.alias_id.is_(None),
    )


def block_member(blocker: Member, blocked: Member) -> Block:
    """Block ``blocked``'s signed posts for ``blocker`` (a block by handle)."""
    if blocker.id == blocked.id:
        raise BlockRefused("You cannot block yourself.")
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
        raise BlockRefused("You cannot block yourself.")
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
