"""Who may do what: ``can_*`` checks used by views and templates, and ``require`` to enforce.

Every check runs on the server; templates use the same functions only to hide buttons.
"""

from flask import abort

from forum.models import Post, Thread


def is_member(member) -> bool:
    """True for a logged-in member (Flask-Login's anonymous user is not one)."""
    return bool(member is not None and getattr(member, "is_authenticated", False))


def can_start_thread(member) -> bool:
    return is_member(member)


def can_reply(member, thread: Thread) -> bool:
    return is_member(member) and not thread.locked


def owns_post(member, post: Post) -> bool:
    return is_member(member) and post.author_id is not None and post.author_id == member.id


def can_edit_post(member, post: Post) -> bool:
    return owns_post(member, post) and not post.is_deleted


def can_delete_post(member, post: Post) -> bool:
    return owns_post(member, post) and not post.is_deleted


def require(allowed: bool, status: int = 403) -> None:
    """Abort with ``status`` unless ``allowed``."""
    if not allowed:
        abort(status)
