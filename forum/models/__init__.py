"""The forum's data model, split by concept."""

from forum.models.accounts import ROLES, Member
from forum.models.base import utcnow
from forum.models.boards import Board
from forum.models.posts import Post, PostRevision, Thread, ThreadAlias

__all__ = ["ROLES", "Board", "Member", "Post", "PostRevision", "Thread", "ThreadAlias", "utcnow"]
