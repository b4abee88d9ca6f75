"""Member accounts: pseudonymous handles, roles and the server-side session token."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, String
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import utcnow

ROLES = ("member", "moderator", "admin")
# Trust levels (forum.trust says how they are earned): new, member, trusted.
NEW, MEMBER, TRUSTED = 0, 1, 2


def new_session_token() -> str:
    """A random token that identifies one login generation of a member."""
    return secrets.token_urlsafe(32)


class Member(UserMixin, db.Model):
    """A person with an account: a handle and a password hash. No real name; an email address
    only if the member chooses to add one for optional digests."""

    __tablename__ = "members"
    # What lurkers see of a member (forum.models.base.PublicContent): a change bumps the cache.
    public_fields = ("handle", "deleted_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(24))
    # The lower-cased handle: unique, so "Heron" and "heron" cannot both exist.
    handle_key: Mapped[str] = mapped_column(String(24), unique=True)
    # What the handle looks like (forum.handles.skeleton): unique, so "keeper_k" and
    # "keeper-k" cannot both exist. Empty once a deleted account's handle is freed, and for
    # lookalikes that existed before this rule (the oldest of them holds the skeleton).
    handle_skeleton: Mapped[str | None] = mapped_column(String(24), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")
    # Rotated at logout and password change: cookies carrying an older token stop working.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Trust is built slowly: 0 new (first posts held), 1 member, 2 trusted (see forum.trust).
    trust_level: Mapped[int] = mapped_column(default=0, server_default="0")
    approved_posts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Reports this member made that moderators dismissed or upheld (weighs their reports).
    reports_dismissed: Mapped[int] = mapped_column(default=0, server_default="0")
    reports_upheld: Mapped[int] = mapped_column(default=0, server_default="0")
    # Moderator actions upheld against this member's posts (hide, remove).
    strikes: Mapped[int] = mapped_column(default=0, server_default="0")
    silenced_until: Mapped[datetime | None]
    suspended_until: Mapped[datetime | None]
    # Care settings (see forum.care): region for crisis lines, content-warning preferences,
    # calmer pages, a break from the forum.
    region: Mapped[str | None] = mapped_column(String(32))
    open_content_warnings: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    # Content-warning keys whose posts this member prefers not to see at all.
    hidden_warnings: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    hide_counts: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    break_until: Mapped[datetime | None]
    # Hash of the one-time account-recovery code (no email needed to recover an account).
    recovery_hash: Mapped[str | None] = mapped_column(String(255))
    # Set when the member deleted their account; the row stays as "deleted member".
    deleted_at: Mapped[datetime | None]
    # Notifications: quiet mode (moderator messages only); optional email digests, which
    # need an address the member chose to add and SMTP configured (FORUM_SMTP_URL).
    quiet_mode: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    email: Mapped[str | None] = mapped_column(String(254))
    digest: Mapped[str] = mapped_column(String(8), default="off", server_default="off")
    digest_excerpts: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    last_digest_at: Mapped[datetime | None]
    # The member's language (forum.i18n.LANGUAGES) for pages, emails and digests; empty:
    # follow the browser.
    language: Mapped[str | None] = mapped_column(String(16))

    def get_id(self) -> str:
        """Flask-Login stores this in the session and remember cookies (not the numeric id)."""
        return self.session_token

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def is_silenced(self, now: datetime) -> bool:
        return self.silenced_until is not None and self.silenced_until > now

    def is_on_break(self, now: datetime) -> bool:
        return self.break_until is not None and self.break_until > now

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_suspended(self, now: datetime) -> bool:
        return self.suspended_until is not None and self.suspended_until > now

    def __repr__(self) -> str:
        return f"<Member {self.handle}>"
