"""One-time recovery codes: the way back into an account when no email address is stored.

A member sees their code once (at registration, when they make a new one, and after using
one); only its argon2 hash is kept, made by the same hasher as passwords.
"""

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from forum.auth.passwords import hash_password, verify_password, waste_a_verification
from forum.auth.services import change_password, find_member
from forum.extensions import db
from forum.models import Member

# No 0/O, 1/I/L: a code copied by hand from paper still reads back correctly.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 4, 5
RECOVERY_FAILED = _l("That handle and recovery code do not match an account.")


class RecoveryRefused(Exception):
    """The handle and code do not match an account that may recover (one message for all)."""


class AccountSuspended(Exception):
    """The code matched, but the account is suspended: it cannot be recovered now."""

    def __init__(self, until: datetime):
        super().__init__(until)
        self.until = until


def new_recovery_code() -> str:
    """A random code such as ``7KQ2M-XH4PZ-9TRWC-3NBVE`` (about 99 bits)."""
    characters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(
        characters[start : start + GROUP_LENGTH]
        for start in range(0, len(characters), GROUP_LENGTH)
    )


def normalize_code(typed: str) -> str:
    """The code as hashed: upper case, without the dashes and spaces people type or paste."""
    return "".join((typed or "").split()).replace("-", "").upper()


def has_recovery_code(member: Member) -> bool:
    return member.recovery_hash is not None


def issue_recovery_code(member: Member) -> str:
    """Give ``member`` a new code (the old one stops working); returns it, to show once."""
    code = new_recovery_code()
    member.recovery_hash = hash_password(normalize_code(code))
    return code


def recover_account(handle: str, code: str, new_password: str, now: datetime) -> tuple[Member, str]:
    """Set a new password with a recovery code; returns the member and their next code.

    Every session ends and the code is used up. An unknown handle, a deleted account, an
    account without a code and a wrong code all raise ``RecoveryRefused`` after the same work,
    so a failure never tells whether the handle exists.
    """
    member = find_member(handle)
    stored = member.recovery_hash if member is not None and not member.is_deleted else None
    typed = normalize_code(code)
    if stored is None:
        waste_a_verification(typed)
        raise RecoveryRefused
    if not verify_password(stored, typed):
        raise RecoveryRefused
    if member.is_suspended(now):
        raise AccountSuspended(member.suspended_until)
    next_code = new_recovery_code()
    next_hash = hash_password(normalize_code(next_code))
    # Swap the hash only if it is still the one we checked: two requests racing with the same
    # code cannot both succeed.
    swapped = db.session.execute(
        update(Member)
        .where(Member.id == member.id, Member.recovery_hash == stored)
        .values(recovery_hash=next_hash),
        execution_options={"synchronize_session": False},
    ).rowcount
    if swapped != 1:
        raise RecoveryRefused
    set_committed_value(member, "recovery_hash", next_hash)
    change_password(member, new_password)
    return member, next_code
