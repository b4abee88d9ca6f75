"""Opening and resolving moderation queue items (used by posting, reports and appeals).

Kept outside the moderation blueprint so posting code can queue a post without importing
the moderation views.
"""

from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationItem, Post, utcnow

PRIORITY_RANK, NORMAL_RANK = 0, 1


def open_item(post: Post, kind: str, *, priority: bool = False, appeal_id: int | None = None):
    """The open queue item of ``kind`` for ``post``, created when there is none.

    A priority item (someone may be at risk) sorts first whatever its age.
    """
    item = find_open_item(post, kind)
    if item is None:
        item = ModerationItem(
            post_id=post.id,
            kind=kind,
            open_marker=True,
            opened_at=utcnow(),
            rank=PRIORITY_RANK if priority else NORMAL_RANK,
            appeal_id=appeal_id,
        )
        db.session.add(item)
        db.session.flush()
    elif priority:
        item.rank = PRIORITY_RANK
    return item


def find_open_item(post: Post, kind: str) -> ModerationItem | None:
    return db.session.execute(
        select(ModerationItem).filter_by(post_id=post.id, kind=kind, open_marker=True)
    ).scalar_one_or_none()


def resolve_item(item: ModerationItem, moderator, outcome: str) -> None:
    """Close ``item`` with ``outcome`` (approved, hidden, removed, dismissed...)."""
    item.open_marker = None
    item.resolved_at = utcnow()
    item.resolved_by_id = moderator.id if moderator is not None else None
    item.outcome = outcome


def resolve_open_items(post: Post, moderator, outcome: str, kinds=None) -> int:
    """Close every open item about ``post`` (of ``kinds``, when given); returns how many."""
    statement = select(ModerationItem).filter_by(post_id=post.id, open_marker=True)
    if kinds:
        statement = statement.where(ModerationItem.kind.in_(kinds))
    items = db.session.execute(statement).scalars().all()
    for item in items:
        resolve_item(item, moderator, outcome)
    return len(items)
