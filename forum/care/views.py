"""Thin views for care features."""

from forum.care import bp  # noqa: F401
