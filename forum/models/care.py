"""Care features: supportive reactions, blocks, muted boards, crisis resources, drafts."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import PublicContent, utcnow

# The supportive reactions, with what each button says: a small fixed set, never a score.
# The keys are stored; the labels are lazy (the reader's language) and never stored.
REACTIONS = {
    "support": _l("Sending support"),
    "me-too": _l("Me too"),
    "thanks": _l("Thank you"),
    "helped": _l("This helped"),
}


class Reaction(PublicContent, db.Model):
    """A member's supportive reaction to a post (no downvotes, no scores)."""

    __tablename__ = "reactions"
    __table_args__ = (
        UniqueConstraint("post_id", "member_id", "kind"),
        Index("ix_reactions_member", "member_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Block(db.Model):
    """One member shutting out another, keyed on the face they were blocked by.

    A block by handle (``alias_id`` NULL) collapses the blocked member's *signed* posts for the
    blocker. A block made from an anonymous post names that alias (``alias_id``): it collapses
    that alias's posts in that one thread, and nothing else. Keyed this way, nothing the
    blocker sees depends on who is behind an alias (see forum.care.blocks).
    ``blocked_id`` is always the account behind the face: it lets the forum refuse the blocked
    person's replies and reactions to the blocker's signed posts, which only they observe.
    """

    __tablename__ = "blocks"
    __table_args__ = (
        Index(
            "ux_blocks_member",
            "blocker_id",
            "blocked_id",
            unique=True,
            sqlite_where=text("alias_id IS NULL"),
            postgresql_where=text("alias_id IS NULL"),
        ),
        Index("ux_blocks_alias", "blocker_id", "alias_id", unique=True),
        Index("ix_blocks_blocked", "blocked_id", "blocker_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    # Set for a block made from an anonymous post: that alias, in its thread, only.
    alias_id: Mapped[int | None] = mapped_column(ForeignKey("thread_aliases.id"))
    # How the blocker knows them: their handle, or the alias of the anonymous post they were
    # blocked from (never the account behind it).
    shown_as: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BoardMute(db.Model):
    """A board whose threads leave one member's lists."""

    __tablename__ = "board_mutes"
    __table_args__ = (UniqueConstraint("member_id", "board_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))


class CrisisResource(PublicContent, db.Model):
    """A way to reach help now, shown on /crisis and in the crisis interstitial.

    ``is_emergency`` entries (emergency services) are always shown first, whatever an entry's
    ``position``; ``always_open`` says it answers 24 hours a day; ``language`` is the language
    it is written in and answers in, and readers see their language's first (see
    forum.crisis.resources).
    """

    __tablename__ = "crisis_resources"
    __table_args__ = (Index("ix_crisis_resources_region", "region", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    how: Mapped[str] = mapped_column(Text)
    hours: Mapped[str] = mapped_column(String(120), default="")
    # A short region code ("GB", "US", "AU"...) or "INT" for everywhere.
    region: Mapped[str] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(String(255))
    last_verified: Mapped[date]
    position: Mapped[int] = mapped_column(default=0)
    is_emergency: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    always_open: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    # A language code ("en", "es").
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")


class Draft(db.Model):
    """Text a member is still working on, kept on the server per member and per place.

    ``place`` names the form: "new:<board slug>", "reply:<thread id>", "edit:<post id>"
    (see forum.care.drafts.parse_place).
    """

    __tablename__ = "drafts"
    __table_args__ = (
        UniqueConstraint("member_id", "place"),
        Index("ix_drafts_member", "member_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    place: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(150), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    content_warning: Mapped[str | None] = mapped_column(String(16))
    content_warning_text: Mapped[str | None] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
