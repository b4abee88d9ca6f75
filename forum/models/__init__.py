"""The forum's data model, split by concept."""

from forum.models.accounts import ROLES, Member
from forum.models.base import utcnow
from forum.models.boards import Board, SiteVersion
from forum.models.care import Block, BoardMute, CrisisResource, Draft, Reaction
from forum.models.moderation import (
    REPORT_REASONS,
    Appeal,
    ModerationEvent,
    ModerationItem,
    Notice,
    Report,
)
from forum.models.notify import BoardWatch, ReadState, ThreadWatch
from forum.models.plans import SafetyPlan
from forum.models.posts import Post, PostRevision, Thread, ThreadAlias

__all__ = [
    "REPORT_REASONS",
    "ROLES",
    "Appeal",
    "Block",
    "Board",
    "BoardWatch",
    "BoardMute",
    "CrisisResource",
    "Draft",
    "Member",
    "ModerationEvent",
    "ModerationItem",
    "Notice",
    "Post",
    "PostRevision",
    "Reaction",
    "ReadState",
    "SafetyPlan",
    "SiteVersion",
    "Report",
    "Thread",
    "ThreadAlias",
    "ThreadWatch",
    "utcnow",
]
