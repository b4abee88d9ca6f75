"""Domain verbs for accounts: handle rules, registering, authenticating, ending sessions."""

import re

from sqlalchemy import select

from forum.auth.passwords import hash_password, needs_rehash, verify_password, waste_a_verification
from forum.extensions import db
from forum.models import ROLES, Member, utcnow
from forum.models.accounts import new_session_token

HANDLE_PATTERN = re.compile(r"[A-Za-z0-9_-]{3,24}")
PASSWORD_MIN_LENGTH = 10
RESERVED_HANDLES = frozenset(
    {
        "admin",
        "administrator",
        "moderator",
        "moderators",
        "mod",
        "mods",
        "anonymous",
        "system",
        "staff",
        "root",
        "support",
        "help",
        "forum",
        "team",
        "official",
        "deleted",
        "everyone",
        "null",
        "none",
        "guest",
        "crisis",
    }
)


class HandleTaken(Exception):
    """Someone already has that handle (ignoring case)."""


def handle_problem(handle: str) -> str | None:
    """Why ``handle`` cannot be used, or None when it can (taken handles aside)."""
    if not HANDLE_PATTERN.fullmatch(handle or ""):
        return "Handles are 3 to 24 characters: letters, digits, _ and - only."
    key = handle.lower()
    # Names that look like staff, or like an anonymous alias, would mislead other members.
    if key in RESERVED_HANDLES or key.startswith(("anon", "mod_", "mod-", "admin")):
        return "That handle is reserved. Please choose another."
    return None


def password_problem(password: str) -> str | None:
    """Why ``password`` is too weak, or None."""
    if len(password or "") < PASSWORD_MIN_LENGTH:
        return f"Passwords need at least {PASSWORD_MIN_LENGTH} characters."
    return None


def find_member(handle: str) -> Member | None:
    """The member with ``handle``, ignoring case."""
    return db.session.execute(
        select(Member).filter_by(handle_key=(handle or "").lower())
    ).scalar_one_or_none()


def register_member(handle: str, password: str, role: str = "member") -> Member:
    """Create an account; raise ``HandleTaken`` or ``ValueError`` for unusable input."""
    problem = handle_problem(handle) or password_problem(password)
    if problem:
        raise ValueError(problem)
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}.")
    # Imported here: forum.account builds on this module. One lookup on the unique index.
    from forum.account.services import free_expired_handles

    free_expired_handles(utcnow(), handle=handle)
    if find_member(handle) is not None:
        raise HandleTaken(handle)
    member = Member(
        handle=handle,
        handle_key=handle.lower(),
        password_hash=hash_password(password),
        role=role,
        session_token=new_session_token(),
    )
    db.session.add(member)
    db.session.flush()
    return member


def authenticate(handle: str, password: str) -> Member | None:
    """The member when the handle and password match, else None (same cost either way).

    A hash made with older parameters is replaced by a current one.
    """
    member = find_member(handle)
    if member is None:
        waste_a_verification(password)
        return None
    if not verify_password(member.password_hash, password):
        return None
    if needs_rehash(member.password_hash):
        member.password_hash = hash_password(password)
    return member


def end_all_sessions(member: Member) -> None:
    """Invalidate every session and remember cookie the member holds (logout, new password)."""
    member.session_token = new_session_token()


def change_password(member: Member, new_password: str) -> None:
    """Set a new password and log out every other session."""
    problem = password_problem(new_password)
    if problem:
        raise ValueError(problem)
    member.password_hash = hash_password(new_password)
    end_all_sessions(member)
