"""Password hashing with argon2id at OWASP's recommended strength.

Hashes made with weaker parameters (or Werkzeug's older formats) still verify, and are
replaced with a current hash at the member's next successful login.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config["PASSWORD_HASH"])


def hash_password(password: str) -> str:
    """A new argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (argon2, or a legacy Werkzeug hash)."""
    if stored_hash.startswith("$argon2"):
        try:
            return _hasher().verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored_hash, password)
    except ValueError:
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with other parameters or another algorithm."""
    if not stored_hash.startswith("$argon2"):
        return True
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def waste_a_verification(password: str) -> None:
    """Spend the time of one verification, so an unknown handle answers as slowly as a known
    one (a failed login must not reveal whether the handle exists)."""
    verify_password(_dummy_hash(), password)


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    key = repr(sorted(current_app.config["PASSWORD_HASH"].items()))
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("not a real password, only for timing")
    return _DUMMY[key]
