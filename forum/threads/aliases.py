"""Anonymous aliases: one calm name per member per thread, unlinkable to the account."""

import secrets

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, Thread, ThreadAlias

ADJECTIVES = (
    "Amber",
    "Autumn",
    "Blue",
    "Brave",
    "Bright",
    "Calm",
    "Cedar",
    "Clear",
    "Coral",
    "Gentle",
    "Golden",
    "Green",
    "Hazel",
    "Hopeful",
    "Kind",
    "Misty",
    "Morning",
    "Patient",
    "Quiet",
    "Rainy",
    "Silver",
    "Snowy",
    "Soft",
    "Steady",
    "Still",
    "Summer",
    "Sunny",
    "Tender",
    "Warm",
    "Willow",
    "Winter",
    "Wise",
)
ANIMALS = (
    "Badger",
    "Bear",
    "Crane",
    "Deer",
    "Dove",
    "Finch",
    "Fox",
    "Hare",
    "Hedgehog",
    "Heron",
    "Kestrel",
    "Koala",
    "Lark",
    "Lynx",
    "Marten",
    "Moth",
    "Otter",
    "Owl",
    "Panda",
    "Puffin",
    "Robin",
    "Seal",
    "Sparrow",
    "Swallow",
    "Swan",
    "Tortoise",
    "Turtle",
    "Whale",
    "Wolf",
    "Wren",
)
RECENT_ALIASES_AVOIDED = 50
RANDOM_TRIES = 20


def alias_for(member: Member, thread: Thread) -> ThreadAlias:
    """The member's alias in ``thread``, created on first use.

    Names are drawn at random (never derived from the account), avoiding names already taken
    in the thread and the member's own recent aliases, so the same person is not recognisable
    across threads by a repeated name. The unique constraint on (thread, name) is the last word.
    """
    existing = existing_alias(member, thread)
    if existing is not None:
        return existing
    alias = ThreadAlias(thread_id=thread.id, member_id=member.id, name=_free_name(member, thread))
    db.session.add(alias)
    db.session.flush()
    return alias


def existing_alias(member, thread: Thread) -> ThreadAlias | None:
    """The alias ``member`` already uses in ``thread``, if any (None for lurkers)."""
    if not getattr(member, "is_authenticated", False):
        return None
    return db.session.execute(
        select(ThreadAlias).filter_by(thread_id=thread.id, member_id=member.id)
    ).scalar_one_or_none()


def _free_name(member: Member, thread: Thread) -> str:
    taken = set(
        db.session.execute(select(ThreadAlias.name).filter_by(thread_id=thread.id)).scalars()
    )
    recent = set(
        db.session.execute(
            select(ThreadAlias.name)
            .filter_by(member_id=member.id)
            .order_by(ThreadAlias.id.desc())
            .limit(RECENT_ALIASES_AVOIDED)
        ).scalars()
    )
    avoid = taken | recent
    for _ in range(RANDOM_TRIES):
        name = f"Anonymous {secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)}"
        if name not in avoid:
            return name
    base = f"Anonymous {secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)}"
    number = 2
    while f"{base} {number}" in avoid:
        number += 1
    return f"{base} {number}"
