"""Helpers shared by tests/test_admin*.py: the default boards, a new board, what the index
and the audit log show, and logging in as the admin."""

import re

from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, Member, ModerationEvent
from tests.factories import make_member

DEFAULT_ORDER = [
    "Introductions",
    "Depression",
    "Anxiety",
    "Grief &amp; Loss",
    "Trauma",
    "Coping Strategies",
    "Small Wins",
    "Off-topic",
]
NEW_BOARD = {
    "slug": "sleep-and-rest",
    "name": "Sleep and Rest",
    "description": "Insomnia, nightmares and finding a gentler night.",
    "moderation_mode": "post",
}


def index_names(client) -> list[str]:
    """Board names on the public board index, in order."""
    text = client.get("/").get_data(as_text=True)
    return re.findall(r'<h2><a href="/b/[^"]+">([^<]+)</a></h2>', text)


def events(action: str) -> list[ModerationEvent]:
    return list(db.session.execute(select(ModerationEvent).filter_by(action=action)).scalars())


def member_named(handle: str) -> Member:
    return db.session.execute(select(Member).filter_by(handle=handle)).scalar_one()


def positions() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Board.position, Board.slug).order_by(Board.position))
    return [tuple(row) for row in rows]


def log_in_as_admin(app, auth) -> None:
    """Log the client in as the admin ada_admin."""
    with app.app_context():
        make_member("ada_admin", role="admin")
    auth.login("ada_admin")
