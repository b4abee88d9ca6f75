"""Rate limits (Flask-Limiter), read from config so operators can tune them.

Login attempts are limited by address and by handle, registrations by address, posts per
member per minute, reports per member per hour, CSP violation reports per address.
``FORUM_RATELIMITS=off`` switches them off.
"""

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.extensions import limiter


def _config(name: str):
    return lambda: current_app.config[name]


# Handles are at most 24 characters: anything longer is not one, and must not become a
# megabyte-long key in the limiter's storage (memory or Redis) for every request sent.
HANDLE_KEY_MAX = 64


def handle_key() -> str:
    """Count login attempts per handle, whoever sends them."""
    return "handle:" + (request.form.get("handle") or "").strip().lower()[:HANDLE_KEY_MAX]


def member_key() -> str:
    """Count per member when logged in (per address otherwise)."""
    if getattr(current_user, "is_authenticated", False):
        return f"member:{current_user.id}"
    return f"address:{get_remote_address()}"


login_by_address = limiter.limit(
    _config("FORUM_LIMIT_LOGIN"), methods=["POST"], scope="login-address"
)
login_by_handle = limiter.limit(
    _config("FORUM_LIMIT_LOGIN"), methods=["POST"], key_func=handle_key, scope="login-handle"
)
registration = limiter.limit(_config("FORUM_LIMIT_REGISTER"), methods=["POST"])
posting = limiter.shared_limit(
    _config("FORUM_LIMIT_POSTS"), scope="posting", key_func=member_key, methods=["POST"]
)
reporting = limiter.limit(_config("FORUM_LIMIT_REPORTS"), key_func=member_key, methods=["POST"])
# Browsers send CSP reports without being asked; a page full of blocked things sends many.
csp_reports = limiter.limit(
    _config("FORUM_LIMIT_CSP_REPORTS"), methods=["POST"], scope="csp-reports"
)
