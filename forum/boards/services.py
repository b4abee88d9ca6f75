"""Boards: the shipped defaults and seeding them."""

import json
from functools import cache
from importlib import resources

from sqlalchemy import select

from forum.extensions import db
from forum.models import Board


def default_boards() -> list[dict]:
    """The boards shipped in ``forum/data/boards.json`` (slug, name, description, position)."""
    text = resources.files("forum.data").joinpath("boards.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def shipped_texts(language: str) -> dict[str, dict]:
    """slug -> {name, description} of the shipped boards in ``language``: ``boards.json`` for
    English, ``boards.<language>.json`` for another (empty when there is none)."""
    name = "boards.json" if language == "en" else f"boards.{language}.json"
    path = resources.files("forum.data").joinpath(name)
    if not path.is_file():
        return {}
    return {spec["slug"]: spec for spec in json.loads(path.read_text(encoding="utf-8"))}


def board_text(board: Board, field: str, language: str) -> str:
    """A board's ``name`` or ``description`` for a reader of ``language``: a shipped board's
    words in that language while the field is still the shipped English one; what an admin
    wrote (a board they created, or a field they changed) stays as they wrote it."""
    stored = getattr(board, field)
    shipped = shipped_texts("en").get(board.slug)
    if language == "en" or shipped is None or shipped[field] != stored:
        return stored
    return shipped_texts(language).get(board.slug, {}).get(field, stored)


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
