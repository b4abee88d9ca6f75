"""Shared column helpers for the models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo: every timestamp is stored as naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class PublicContent:
    """Mixin for models whose rows lurkers read: any insert, update or delete of one can change
    a public page, so forum.pagecache bumps the content version in the same transaction.

    A model with only some public columns lists them in ``public_fields`` instead (a member's
    handle shows on pages; their password hash never does).
    """
