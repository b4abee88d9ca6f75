"""The forum's data model, split by concept."""

from forum.models.accounts import ROLES, Member
from forum.models.base import utcnow
from forum.models.boards import Board
from forum.models.moderation import (
    REPORT_REASONS,
    Appeal,
    ModerationEvent,
    ModerationItem,
    Notice,
    Report,
)
from forum.models.posts import Post, PostRevision, Thread, ThreadAlias

__all__ = [
    "REPORT_REASONS",
    "ROLES",
    "Appeal",
    "Board",
    "Member",
    "ModerationEvent",
    "ModerationItem",
    "Notice",
    "Post",
    "PostRevision",
    "Report",
    "Thread",
    "ThreadAlias",
    "utcnow",
]
