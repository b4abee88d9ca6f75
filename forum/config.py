"""Settings from the environment (``FORUM_`` prefix), with defaults for the embedded set-up."""

import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}

# OWASP's recommended argon2id parameters (19 MiB memory, 2 iterations, 1 lane).
DEFAULT_ARGON2 = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}


def env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean ``FORUM_`` variable ("1", "true", "yes", "on" mean true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_WORDS


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
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "WTF_CSRF_TIME_LIMIT": 6 * 3600,
        "PASSWORD_HASH": dict(DEFAULT_ARGON2),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("FORUM_SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }
    settings.update(overrides)
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = os.environ.get("FORUM_SECRET_KEY") or load_or_create_secret_key(
            folder
        )
    return settings
