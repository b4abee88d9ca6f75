"""Settings from the environment (``FORUM_`` prefix), with defaults for the embedded set-up."""

import os
import secrets
from pathlib import Path

from forum.ratelimit_storage import storage_uri

TRUE_WORDS = {"1", "true", "yes", "on"}

# OWASP's recommended argon2id parameters (19 MiB memory, 2 iterations, 1 lane).
DEFAULT_ARGON2 = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}

# Where `make run` serves the forum; links in emails use FORUM_BASE_URL, which defaults to it.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean ``FORUM_`` variable ("1", "true", "yes", "on" mean true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in ("0", "false", "no", "off"):
        return False
    return value in TRUE_WORDS


def env_int(name: str, default: int) -> int:
    """Read a whole-number ``FORUM_`` variable."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def instance_path() -> Path:
    """Where the forum keeps its local files: the SQLite database and the generated secret key."""
    return Path(os.environ.get("FORUM_INSTANCE_PATH", Path.cwd() / "instance")).resolve()


def load_or_create_secret_key(folder: Path) -> str:
    """Return the secret key kept in ``folder``, generating it once when absent.

    The key is never in the code: a fresh installation gets its own random key, kept with
    owner-only permissions so restarts keep members logged in.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def settings_from_environment(overrides: dict | None = None) -> dict:
    """Build the Flask config from ``FORUM_`` environment variables, then apply ``overrides``."""
    overrides = overrides or {}
    folder = Path(overrides.get("INSTANCE_PATH") or instance_path())
    https = env_flag("FORUM_HTTPS")
    settings = {
        "INSTANCE_PATH": str(folder),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "FORUM_DATABASE_URL", f"sqlite:///{folder / 'forum.db'}"
        ),
        "FORUM_NAME": os.environ.get("FORUM_NAME", "Peer Support Forum"),
        "FORUM_ALLOW_INDEXING": env_flag("FORUM_ALLOW_INDEXING"),
        "FORUM_HTTPS": https,
        "FORUM_CRISIS_RESOURCES_FILE": os.environ.get("FORUM_CRISIS_RESOURCES_FILE"),
        # Care (see forum.care and forum.crisis).
        "FORUM_CRISIS_FILE": os.environ.get("FORUM_CRISIS_FILE"),
        "FORUM_REGION": os.environ.get("FORUM_REGION", "GB"),
        "FORUM_UNANSWERED_HOURS": env_int("FORUM_UNANSWERED_HOURS", 12),
        # Drafts a member keeps at most; a new one beyond this removes their oldest.
        "FORUM_DRAFTS_MAX": env_int("FORUM_DRAFTS_MAX", 50),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        # Under HTTPS the __Host- prefix makes browsers refuse these cookies unless they are
        # Secure, host-only and for the whole site (no subdomain can set or read them).
        "SESSION_COOKIE_NAME": "__Host-session" if https else "session",
        "REMEMBER_COOKIE_NAME": "__Host-remember_token" if https else "remember_token",
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "WTF_CSRF_TIME_LIMIT": 6 * 3600,
        "PASSWORD_HASH": dict(DEFAULT_ARGON2),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("FORUM_SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Moderation and trust (see forum.trust and forum.moderation).
        "FORUM_AUTO_HIDE_REPORTS": env_int("FORUM_AUTO_HIDE_REPORTS", 3),
        "FORUM_NEW_MEMBER_HOLD": env_int("FORUM_NEW_MEMBER_HOLD", 2),
        "FORUM_NEW_MEMBER_DAILY_POSTS": env_int("FORUM_NEW_MEMBER_DAILY_POSTS", 10),
        "FORUM_TRUST1_DAYS": env_int("FORUM_TRUST1_DAYS", 3),
        "FORUM_TRUST2_DAYS": env_int("FORUM_TRUST2_DAYS", 60),
        "FORUM_TRUST2_APPROVED_POSTS": env_int("FORUM_TRUST2_APPROVED_POSTS", 30),
        # Rate limits (Flask-Limiter); FORUM_RATELIMITS=off switches them off. Counted in Redis,
        # else in a file every worker process of this machine shares (forum.ratelimit_storage).
        "RATELIMIT_ENABLED": env_flag("FORUM_RATELIMITS", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("FORUM_REDIS_URL")
        or storage_uri(folder / "ratelimits.sqlite"),
        "FORUM_REDIS_URL": os.environ.get("FORUM_REDIS_URL") or None,
        # Lurkers' pages cached by content version (forum.pagecache); off for debugging.
        "FORUM_PAGE_CACHE": env_flag("FORUM_PAGE_CACHE", True),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Keeps this forum's counters apart from anything else in the same Redis.
        "RATELIMIT_KEY_PREFIX": os.environ.get("FORUM_RATELIMIT_KEY_PREFIX", "forum"),
        "FORUM_LIMIT_LOGIN": os.environ.get("FORUM_LIMIT_LOGIN", "10 per minute"),
        # Failed attempts for one handle from every address before each address gets only a
        # few (forum.ratelimits): never a lock-out, the right password gets in from any
        # address that has not failed for the handle.
        "FORUM_LIMIT_LOGIN_HANDLE": os.environ.get("FORUM_LIMIT_LOGIN_HANDLE", "100 per day"),
        "FORUM_LIMIT_REGISTER": os.environ.get("FORUM_LIMIT_REGISTER", "5 per hour"),
        "FORUM_LIMIT_POSTS": os.environ.get("FORUM_LIMIT_POSTS", "6 per minute"),
        "FORUM_LIMIT_REPORTS": os.environ.get("FORUM_LIMIT_REPORTS", "20 per hour"),
        "FORUM_LIMIT_SAFETY_PLAN": os.environ.get("FORUM_LIMIT_SAFETY_PLAN", "30 per hour"),
        "FORUM_LIMIT_CSP_REPORTS": os.environ.get("FORUM_LIMIT_CSP_REPORTS", "60 per minute"),
        # Optional email digests (see forum.digest): off unless FORUM_SMTP_URL is set, e.g.
        # smtp://127.0.0.1:25, smtps://user:password@host:465, smtp+starttls://user:pw@host:587.
        "FORUM_SMTP_URL": os.environ.get("FORUM_SMTP_URL") or None,
        # The sender address; empty means noreply@ the host of FORUM_BASE_URL.
        "FORUM_MAIL_FROM": os.environ.get("FORUM_MAIL_FROM") or None,
        # Where members reach the forum: links in emails are made from it.
        "FORUM_BASE_URL": os.environ.get("FORUM_BASE_URL") or DEFAULT_BASE_URL,
        # Production serving with gunicorn (`forum serve`, see forum.serve and docs/deploy.md).
        "FORUM_WORKERS": env_int("FORUM_WORKERS", 2),
        "FORUM_THREADS": env_int("FORUM_THREADS", 1),
        "FORUM_BIND": os.environ.get("FORUM_BIND") or "127.0.0.1:8000",
        # Proxy hops (nginx = 1) whose X-Forwarded-For/-Proto/-Host are believed; 0 ignores them.
        "FORUM_TRUSTED_PROXIES": env_int("FORUM_TRUSTED_PROXIES", 0),
    }
    settings.update(overrides)
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = os.environ.get("FORUM_SECRET_KEY") or load_or_create_secret_key(
            folder
        )
    return settings
