"""Shared column helpers for the models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo: every timestamp is stored as naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
