"""What blocks mean for a reader: which faces they blocked and who blocked them, keyed on
the face (a handle for signed posts, an alias in its thread for anonymous ones), never the
account behind an alias. The verbs that make and undo blocks are in forum.care.blocks.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select

from forum.extensions import db
from forum.models import Block, Post, ThreadAlias


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
