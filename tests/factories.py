"""Factories for members, threads and replies, through the real domain services."""

from sqlalchemy import select

from forum.auth.services import register_member
from forum.extensions import db
from forum.models import Board
from forum.threads.services import reply_to_thread, start_thread

PASSWORD = "correct horse battery"

# The shared cast of tests/conftest.py's ``cast`` fixture, by handle: two members in good
# standing (one who writes, one who reads, reports and reacts), a moderator and an admin.
MEMBER = "author_one"
OTHER_MEMBER = "reader_a"
MODERATOR = "keeper"
ADMIN = "head_admin"


def make_member(handle="river_stone", role="member", password=PASSWORD, trust=1):
    """A member in good standing (trust level 1) unless ``trust`` says otherwise."""
    member = register_member(handle, password, role=role)
    member.trust_level = trust
    db.session.commit()
    return member


def make_cast() -> None:
    """The shared cast (see ``MEMBER`` above), made in this order."""
    make_member(MEMBER)
    make_member(OTHER_MEMBER)
    make_member(MODERATOR, role="moderator")
    make_member(ADMIN, role="admin")


def board(slug="depression") -> Board:
    return db.session.execute(select(Board).filter_by(slug=slug)).scalar_one()


def make_thread(
    author,
    title="A thread about mornings",
    body="Opening words.",
    slug="depression",
    anonymous=False,
):
    thread = start_thread(author, board(slug), title, body, anonymous)
    db.session.commit()
    return thread


def make_reply(author, thread, body="A reply.", parent=None, anonymous=False):
    post = reply_to_thread(author, thread, body, anonymous, parent=parent)
    db.session.commit()
    return post
