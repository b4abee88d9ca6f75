"""A member's personal safety plan: seven short lists in their own words, for them alone."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import utcnow


class SafetyPlan(db.Model):
    """One member's safety plan (Stanley and Brown's seven steps), one row per member.

    Each section is a JSON list of short lines as the member wrote them. Nothing but the
    member's own pages, their export and their account deletion ever reads this table: it is
    not public content (saving it never bumps the site version), not indexed for search and
    never quoted in a notice, an email or a log line (see forum.safety_plan).
    """

    __tablename__ = "safety_plans"
    __table_args__ = (Index("ix_safety_plans_remind_at", "remind_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), unique=True)
    warning_signs: Mapped[list] = mapped_column(JSON, default=list)
    coping: Mapped[list] = mapped_column(JSON, default=list)
    distractions: Mapped[list] = mapped_column(JSON, default=list)
    helpers: Mapped[list] = mapped_column(JSON, default=list)
    professionals: Mapped[list] = mapped_column(JSON, default=list)
    safer_surroundings: Mapped[list] = mapped_column(JSON, default=list)
    reasons_for_living: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A gentle reminder to look at the plan again, if the member asked for one: every 30, 60
    # or 90 days (None: off, the default), and when the next one is due.
    review_every_days: Mapped[int | None]
    remind_at: Mapped[datetime | None]
