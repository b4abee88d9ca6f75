"""What a page needs to know about its reader, loaded once for all its posts.

Reaction counts, the reader's own reactions, who reacted to the reader's own signed posts,
and blocks in both directions: a fixed handful of queries per page, never one per post.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from forum.blocking import NO_BLOCKS, BlockSets, block_sets
from forum.extensions import db
from forum.models import Member, Post, Reaction, utcnow
from forum.policy import is_member


@dataclass(frozen=True)
class Reader:
    """The reader of a page as the policy checks of its posts need them, read once.

    The policy takes it in place of the member (same attribute names): a plain record is read
    at the cost of a tuple, where the logged-in member is an ORM instance behind Flask-Login's
    proxy, resolved again by every check of every post. Whether the reader is paused is asked
    once for the page, at the moment it is made.
    """

    is_authenticated: bool
    id: int | None = None
    is_moderator: bool = False
    is_admin: bool = False
    silenced: bool = False
    silenced_until: object = None
    open_content_warnings: bool = False
    hidden_warnings: tuple = ()

    def is_silenced(self, _now=None) -> bool:
        return self.silenced


LURKER = Reader(is_authenticated=False)


def reader_of(viewer) -> Reader:
    """The page's reader record for ``viewer`` (a member, Flask-Login's anonymous user, or
    None)."""
    if not is_member(viewer):
        return LURKER
    return Reader(
        is_authenticated=True,
        id=viewer.id,
        is_moderator=viewer.is_moderator,
        is_admin=viewer.is_admin,
        silenced=viewer.is_silenced(utcnow()),
        silenced_until=viewer.silenced_until,
        open_content_warnings=bool(viewer.open_content_warnings),
        hidden_warnings=tuple(viewer.hidden_warnings or ()),
    )


@dataclass
class ReaderContext:
    counts: dict[int, Counter] = field(default_factory=dict)
    mine: set[tuple[int, str]] = field(default_factory=set)
    reactors: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    # The reader's blocks, both ways, keyed on faces (forum.care.blocks).
    blocks: BlockSets = NO_BLOCKS


def reader_context(viewer, posts: list[Post]) -> ReaderContext:
    """Load the reader-specific facts about ``posts``."""
    context = ReaderContext()
    post_ids = [post.id for post in posts]
    if not post_ids:
        return context
    rows = db.session.execute(
        select(Reaction.post_id, Reaction.kind, func.count())
        .where(Reaction.post_id.in_(post_ids))
        .group_by(Reaction.post_id, Reaction.kind)
    ).all()
    for post_id, kind, count in rows:
        context.counts.setdefault(post_id, Counter())[kind] = count
    if not is_member(viewer):
        return context
    rows = db.session.execute(
        select(Reaction.post_id, Reaction.kind).where(
            Reaction.post_id.in_(post_ids), Reaction.member_id == viewer.id
        )
    ).all()
    context.mine = {(post_id, kind) for post_id, kind in rows}
    context.reactors = _reactors_on_own_posts(viewer, posts)
    context.blocks = block_sets(viewer)
    return context


def _reactors_on_own_posts(viewer, posts) -> dict[int, dict[str, list[str]]]:
    """Who reacted to the reader's own signed posts (never shown for anonymous posts)."""
    own = [post.id for post in posts if post.author_id == viewer.id and not post.is_anonymous]
    reactors: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if own:
        rows = db.session.execute(
            select(Reaction.post_id, Reaction.kind, Member.handle)
            .join(Member, Member.id == Reaction.member_id)
            .where(Reaction.post_id.in_(own))
            .order_by(Reaction.id)
        ).all()
        for post_id, kind, handle in rows:
            reactors[post_id][kind].append(handle)
    return reactors
