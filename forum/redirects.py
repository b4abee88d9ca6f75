"""Safe redirects: where a ``next=`` may send someone (a path on this site, never another).

It imports nothing of the forum, so every layer may use it (``forum.i18n`` included).
"""

from urllib.parse import unquote, urlsplit


def is_safe_local_path(target: str | None) -> bool:
    """True when ``target`` is a path on this site (blocks //evil, /\\evil, https:evil...)."""
    if not target:
        return False
    for candidate in (target, unquote(target), unquote(unquote(target))):
        if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
            return False
        if "\\" in candidate or any(ord(char) < 32 or ord(char) == 127 for char in candidate):
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next_url(target: str | None, fallback: str) -> str:
    """``target`` when it is a local path, else ``fallback``: no open redirects."""
    return target if is_safe_local_path(target) else fallback
