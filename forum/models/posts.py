"""Threads, posts in a reply tree, their edit history, and per-thread anonymous aliases."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.accounts import Member
from forum.models.base import PublicContent, utcnow

PUBLISHED, HELD, PENDING_REVIEW, HIDDEN, REMOVED, REJECTED = (
    "published",
    "held",
    "pending_review",
    "hidden",
    "removed",
    "rejected",
)
# States in which only the author and moderators know the post exists (never published).
UNPUBLISHED_STATES = (HELD, REJECTED)


class Thread(PublicContent, db.Model):
    """A conversation on a board: its opening post and a tree of replies."""

    __tablename__ = "threads"
    __table_args__ = (
        # Board pages: pinned first, then latest activity, keyset-paged on this index.
        Index("ix_threads_board_listing", "board_id", "pinned", "last_activity_at", "id"),
        Index("ix_threads_waiting", "answered_at", "created_at"),
        # The board index's latest threads across every board, newest activity first.
        Index("ix_threads_latest", "last_activity_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    # True while the opening post waits for a moderator: the thread is then invisible to
    # everyone but its author and moderators.
    held: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    # Replies waiting for a moderator (not in reply_count, which counts published replies).
    held_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # A private thread between a member and the moderators (never listed on a board).
    is_private: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    # When someone other than the author first replied (None: still waiting for a reply), and
    # whether the author asked not to be listed as waiting ("I just want to write this down").
    answered_at: Mapped[datetime | None]
    no_reply_wanted: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    # Last sequence number handed to a post of this thread: the building block of tree paths.
    post_seq: Mapped[int] = mapped_column(default=0)
    # Denormalized pointers (no foreign keys, to avoid a threads <-> posts constraint cycle).
    first_post_id: Mapped[int | None]
    last_post_id: Mapped[int | None]

    board = relationship("Board")
    first_post = relationship(
        "Post", primaryjoin="foreign(Thread.first_post_id) == Post.id", viewonly=True
    )
    last_post = relationship(
        "Post", primaryjoin="foreign(Thread.last_post_id) == Post.id", viewonly=True
    )


class ThreadAlias(PublicContent, db.Model):
    """The anonymous name a member uses in one thread ("Anonymous Heron").

    The same member keeps the same alias throughout a thread; the unique constraint on
    (thread, name) guarantees two members never share one. The link to the account is
    here for moderators only: pages receive the alias, never this row's member.
    """

    __tablename__ = "thread_aliases"
    __table_args__ = (
        UniqueConstraint("thread_id", "member_id"),
        UniqueConstraint("thread_id", "name"),
        Index("ix_thread_aliases_member", "member_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(String(64))


class Post(PublicContent, db.Model):
    """One post of a thread, placed in the reply tree by its ``path``.

    ``path`` is the parent's path plus this post's zero-padded sequence number in the thread,
    so ``ORDER BY path`` is tree order (children under their parent, siblings oldest first)
    and a page of a thread is a range of an index. Deleted posts keep their row and their
    place, so their replies never lose their parent.
    """

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("thread_id", "path"),
        # A form's submission key: the same form posted twice makes one post.
        UniqueConstraint("author_id", "submission_key"),
        Index("ix_posts_author_listing", "author_id", "is_anonymous", "created_at", "id"),
        Index("ix_posts_author_recent", "author_id", "created_at"),
        # Unread counts: the posts of a thread newer than the last one a member read.
        Index("ix_posts_thread_id", "thread_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    alias_id: Mapped[int | None] = mapped_column(ForeignKey("thread_aliases.id"))
    path: Mapped[str] = mapped_column(String(255))
    depth: Mapped[int] = mapped_column(default=0)
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    render_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # published | held (awaiting approval) | rejected (held, then refused) | pending_review
    # (auto-hidden by reports) | hidden | removed (by a moderator). forum.display says who
    # sees what.
    state: Mapped[str] = mapped_column(String(16), default="published", server_default="published")
    # Why a moderator hid or removed it: shown to its author only.
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    # A content warning: one of forum.warnings.WARNINGS, or "custom" with its own text.
    content_warning: Mapped[str | None] = mapped_column(String(16))
    content_warning_text: Mapped[str | None] = mapped_column(String(60))
    # The random key of the form that made it (forum.threads.forms.SubmissionKey).
    submission_key: Mapped[str | None] = mapped_column(String(64))

    thread = relationship(Thread, foreign_keys=[thread_id])
    author = relationship(Member, foreign_keys=[author_id])
    alias = relationship(ThreadAlias)
    parent = relationship("Post", remote_side=[id], foreign_keys=[parent_id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_published(self) -> bool:
        return self.state == PUBLISHED


class PostRevision(db.Model):
    """An earlier version of a post's text, kept each time its author edits it."""

    __tablename__ = "post_revisions"
    __table_args__ = (Index("ix_post_revisions_post", "post_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    body_source: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
