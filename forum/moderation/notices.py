"""Reading in-app notices: the banner on every page and the /notices page."""

from sqlalchemy import func, select, update

from forum.database import write_transaction
from forum.extensions import db
from forum.models import Notice, utcnow

RECENT = 50


def unread_count(member) -> int:
    return db.session.execute(
        select(func.count(Notice.id)).where(Notice.member_id == member.id, Notice.read_at.is_(None))
    ).scalar_one()


def recent_notices(member) -> list[Notice]:
    return list(
        db.session.execute(
            select(Notice)
            .where(Notice.member_id == member.id)
            .order_by(Notice.id.desc())
            .limit(RECENT)
        ).scalars()
    )


def mark_all_read(member) -> None:
    """Mark the member's notices read (a write during a page view, so it asks for the lock)."""
    db.session.commit()
    with write_transaction():
        db.session.execute(
            update(Notice)
            .where(Notice.member_id == member.id, Notice.read_at.is_(None))
            .values(read_at=utcnow())
        )
        db.session.commit()
