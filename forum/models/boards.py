"""Boards: one per topic."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import PublicContent

# How a board treats new posts: "post" shows them at once (moderators look at what is
# reported); "pre" holds posts by members below trust level 2 for a moderator.
MODERATION_MODES = {
    "post": _l("After posting: posts appear at once; moderators look at what is reported"),
    "pre": _l("Before posting: posts by members below trust level 2 wait for a moderator"),
}


class Board(PublicContent, db.Model):
    """A topic board. Counters are kept up to date by the posting services."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    thread_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime | None]
    # Denormalized pointer to the newest post (no foreign key: posts reference boards
    # through threads, and a cycle of constraints would complicate migrations on SQLite).
    last_post_id: Mapped[int | None]
    # "post": posts appear at once and are reviewed when reported; "pre": posts by members
    # below trust level 2 wait for a moderator first.
    moderation_mode: Mapped[str] = mapped_column(String(8), default="post", server_default="post")
    archived: Mapped[bool] = mapped_column(default=False, server_default=sql_false())

    def __repr__(self) -> str:
        return f"<Board {self.slug}>"


class SiteVersion(db.Model):
    """One row: a number bumped by every commit that changes public content, so cached pages
    for lurkers know when they are stale (see forum.pagecache)."""

    __tablename__ = "site_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
