"""Boards: the shipped defaults and seeding them."""

import json
from importlib import resources

from sqlalchemy import select

from forum.extensions import db
from forum.models import Board


def default_boards() -> list[dict]:
    """The boards shipped in ``forum/data/boards.json`` (slug, name, description, position)."""
    text = resources.files("forum.data").joinpath("boards.json").read_text(encoding="utf-8")
    return json.loads(text)


def seed_default_boards() -> int:
    """Create each default board that does not exist yet; returns how many were added.

    Running it again changes nothing, and boards an admin has edited are left alone.
    """
    existing = set(db.session.execute(select(Board.slug)).scalars())
    added = 0
    for spec in default_boards():
        if spec["slug"] in existing:
            continue
        db.session.add(
            Board(
                slug=spec["slug"],
                name=spec["name"],
                description=spec["description"],
                position=spec["position"],
            )
        )
        added += 1
    db.session.flush()
    return added
