"""Rate limits (Flask-Limiter), read from config so operators can tune them.

Login and recovery attempts are limited per address (every attempt) and per handle from one
address (failed attempts only), so guessing from one address stops after FORUM_LIMIT_LOGIN.
A handle's failed attempts from every address together never refuse anyone by themselves:
past FORUM_LIMIT_LOGIN_HANDLE the handle is under attack, and each address may then fail for
it only ``UNDER_ATTACK`` times, so an attacker needs ever more addresses while the owner, from
any address that has not failed for it, still gets in with the right password or recovery
code. Registrations are limited by address, posts per member per minute, reports per member
per hour, CSP violation reports per address. ``FORUM_RATELIMITS=off`` switches them off.
"""

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse

from forum.extensions import limiter


def _config(name: str):
    return lambda: current_app.config[name]


# Handles are at most 24 characters: anything longer is not one, and must not become a
# megabyte-long key in the limiter's storage (memory or Redis) for every request sent.
HANDLE_KEY_MAX = 64
# Failed attempts each address may make for a handle while it is under attack.
UNDER_ATTACK = "3 per hour"
HANDLE_FAILURES_SCOPE = "login-handle-failures"


def handle_key() -> str:
    """The handle an attempt names, whoever sends it."""
    return "handle:" + (request.form.get("handle") or "").strip().lower()[:HANDLE_KEY_MAX]


def handle_and_address_key() -> str:
    """Count failed attempts per handle and address."""
    return f"{handle_key()}|address:{get_remote_address()}"


def member_key() -> str:
    """Count per member when logged in (per address otherwise)."""
    if getattr(current_user, "is_authenticated", False):
        return f"member:{current_user.id}"
    return f"address:{get_remote_address()}"


def _handle_failures():
    limit = parse(current_app.config["FORUM_LIMIT_LOGIN_HANDLE"])
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return limit, prefix, handle_key(), HANDLE_FAILURES_SCOPE


def handle_under_attack() -> bool:
    """Whether this attempt's handle has failed FORUM_LIMIT_LOGIN_HANDLE times, all addresses
    together: it never refuses anyone itself, it only shrinks each address's allowance."""
    if not limiter.enabled:
        return False
    limit, *identifiers = _handle_failures()
    return not limiter.limiter.test(limit, *identifiers)


def count_failed_attempt() -> None:
    """Count a wrong password or recovery code against its handle, from every address."""
    if limiter.enabled:
        limit, *identifiers = _handle_failures()
        limiter.limiter.hit(limit, *identifiers)


def _handle_and_address_limit() -> str:
    if handle_under_attack():
        return UNDER_ATTACK
    return current_app.config["FORUM_LIMIT_LOGIN"]


def attempt_failed(response) -> bool:
    """Only refused attempts (the form comes back with a 400) count against a handle: the
    owner logging in never uses up an allowance."""
    return response.status_code == 400


login_by_address = limiter.limit(
    _config("FORUM_LIMIT_LOGIN"), methods=["POST"], scope="login-address"
)
login_by_handle = limiter.limit(
    _handle_and_address_limit,
    methods=["POST"],
    key_func=handle_and_address_key,
    scope="login-handle",
    deduct_when=attempt_failed,
)
registration = limiter.limit(_config("FORUM_LIMIT_REGISTER"), methods=["POST"])
posting = limiter.shared_limit(
    _config("FORUM_LIMIT_POSTS"), scope="posting", key_func=member_key, methods=["POST"]
)
reporting = limiter.limit(_config("FORUM_LIMIT_REPORTS"), key_func=member_key, methods=["POST"])


def safety_plan_save_refused() -> bool:
    """Count one save of a member's safety plan; True past FORUM_LIMIT_SAFETY_PLAN.

    Checked inside the view rather than as a decorator, so that a refused save comes back as
    the form with every line still in it (forum.safety_plan.views).
    """
    if not limiter.enabled:
        return False
    limit = parse(current_app.config["FORUM_LIMIT_SAFETY_PLAN"])
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return not limiter.limiter.hit(limit, prefix, member_key(), "safety-plan")


# Browsers send CSP reports without being asked; a page full of blocked things sends many.
csp_reports = limiter.limit(
    _config("FORUM_LIMIT_CSP_REPORTS"), methods=["POST"], scope="csp-reports"
)
