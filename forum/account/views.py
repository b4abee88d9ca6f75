"""Thin views for the account pages (password, export, deletion, recovery)."""

from forum.account import bp  # noqa: F401
