"""@mentions: handles written in a post, linked at write time and notified once visible."""

import re

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member

MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_-]{3,24})\b")
MAX_NOTIFIED = 10


def mentioned_handles(source: str) -> list[str]:
    """The distinct handles written as @handle in ``source``, in order of appearance."""
    seen: dict[str, str] = {}
    for match in MENTION.finditer(source or ""):
        seen.setdefault(match.group(1).lower(), match.group(1))
    return list(seen.values())


def mentioned_members(source: str) -> list[Member]:
    """Existing, not deleted members mentioned in ``source`` (one query)."""
    keys = [handle.lower() for handle in mentioned_handles(source)]
    if not keys:
        return []
    members = (
        db.session.execute(
            select(Member).where(Member.handle_key.in_(keys), Member.deleted_at.is_(None))
        )
        .scalars()
        .all()
    )
    by_key = {member.handle_key: member for member in members}
    return [by_key[key] for key in keys if key in by_key]
