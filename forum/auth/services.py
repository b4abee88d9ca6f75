"""Domain verbs for accounts: handle rules, registering, authenticating, ending sessions."""

import re
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from forum.auth.passwords import hash_password, needs_rehash, verify_password, waste_a_verification
from forum.extensions import db
from forum.handles import reserved_name, skeleton
from forum.models import ROLES, Member, utcnow
from forum.models.accounts import new_session_token

HANDLE_PATTERN = re.compile(r"[A-Za-z0-9_-]{3,24}")
PASSWORD_MIN_LENGTH = 10
HANDLE_TAKEN = _l("That handle is taken. Please choose another.")
# One answer for a lookalike of a member's handle and of a staff or crisis name: it never
# says which handle it resembles.
HANDLE_LOOKALIKE = _l(
    "That handle looks too much like an existing one or a staff/crisis name; please choose another."
)


class HandleTaken(Exception):
    """Someone already has that handle (ignoring case)."""

    message = HANDLE_TAKEN


class HandleLooksTaken(HandleTaken):
    """A member's handle has the same skeleton (see forum.handles): a reader could mistake
    one for the other."""

    message = HANDLE_LOOKALIKE


def handle_problem(handle: str) -> str | None:
    """Why ``handle`` cannot be used, or None when it can (taken handles and lookalikes of
    members' handles aside: ``register_member`` looks those up)."""
    if not HANDLE_PATTERN.fullmatch(handle or ""):
        return _("Handles are 3 to 24 characters: letters, digits, _ and - only.")
    # Names that look like staff, a crisis service, an anonymous alias or the forum itself
    # would mislead other members.
    site_name = current_app.config.get("FORUM_NAME", "") if has_app_context() else ""
    if reserved_name(handle, site_name):
        return str(HANDLE_LOOKALIKE)
    return None


def password_problem(password: str) -> str | None:
    """Why ``password`` is too weak, or None."""
    if len(password or "") < PASSWORD_MIN_LENGTH:
        return _("Passwords need at least %(min)d characters.", min=PASSWORD_MIN_LENGTH)
    return None


def find_member(handle: str) -> Member | None:
    """The member with ``handle``, ignoring case."""
    return db.session.execute(
        select(Member).filter_by(handle_key=(handle or "").lower())
    ).scalar_one_or_none()


def skeleton_holder(shape: str) -> Member | None:
    """The member whose handle has the skeleton ``shape`` (one lookup on a unique index)."""
    return db.session.execute(select(Member).filter_by(handle_skeleton=shape)).scalar_one_or_none()


def register_member(handle: str, password: str, role: str = "member") -> Member:
    """Create an account; raise ``HandleTaken`` (``HandleLooksTaken`` for a lookalike) or
    ``ValueError`` for unusable input."""
    problem = handle_problem(handle) or password_problem(password)
    if problem:
        raise ValueError(problem)
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}.")
    # Handles of accounts deleted long enough ago are freed first: one lookup on each index.
    shape = skeleton(handle)
    free_expired_handles(utcnow(), handle=handle)
    if find_member(handle) is not None:
        raise HandleTaken(handle)
    if skeleton_holder(shape) is not None:
        raise HandleLooksTaken(handle)
    member = Member(
        handle=handle,
        handle_key=handle.lower(),
        handle_skeleton=shape,
        password_hash=hash_password(password),
        role=role,
        session_token=new_session_token(),
    )
    try:
        # A savepoint: a lookalike registered a moment ago (the unique columns refuse it)
        # takes back only this member, and the answer is the usual one.
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:
        raise (HandleTaken if find_member(handle) else HandleLooksTaken)(handle) from None
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


# A deleted member's handle stays reserved this long, so nobody can pose as them at once.
HANDLE_HOLD = timedelta(days=30)
FREED_HANDLE_PREFIX = "~deleted-"


def free_expired_handles(now: datetime, handle: str | None = None) -> int:
    """Release the handles of accounts deleted more than 30 days ago; returns how many.

    The tombstone's ``handle_key`` becomes ``~deleted-<id>`` (no real handle can contain
    "~") and it lets go of its skeleton. With ``handle``, only that handle and its lookalikes
    are looked at: lookups on the two unique indexes.
    """
    statement = update(Member).where(
        Member.deleted_at.is_not(None),
        Member.deleted_at < now - HANDLE_HOLD,
        Member.handle_key.not_like(FREED_HANDLE_PREFIX + "%"),
    )
    if handle is not None:
        statement = statement.where(
            or_(Member.handle_key == handle.lower(), Member.handle_skeleton == skeleton(handle))
        )
    freed = db.session.execute(
        statement.values(
            handle_key=literal(FREED_HANDLE_PREFIX) + cast(Member.id, String),
            handle_skeleton=None,
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    return freed
