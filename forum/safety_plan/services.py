"""A member's safety plan: read it, save it, delete it, and the reminders they asked for.

Verbs flush, never commit. Nothing here logs, and nothing here touches public content: a plan
never bumps the site version, enters the search index, or reaches a feed.
"""

import re
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum.crisis.resources import resources_for
from forum.extensions import db
from forum.i18n import english
from forum.models import Member, Notice, SafetyPlan, utcnow
from forum.safety_plan.content import MAX_ITEM_LENGTH, SECTION_KEYS

REVIEW_CHOICES = (30, 60, 90)
REMINDER_KIND = "reminder"
# What the member reads in their own notifications. The email digest never quotes it, nor
# links to the plan (forum.digest.compose): an inbox may be shared. Stored in English and
# shown in the reader's language (forum.notify.queries.wording).
REMINDER_TEXT = _l(
    "A reminder you asked for: when you have a quiet moment, take a look at your safety "
    "plan and see whether anything has changed."
)
REMINDER_LINK = "/safety-plan"


def plan_of(member) -> SafetyPlan | None:
    """``member``'s plan, or None when they have not saved one."""
    return db.session.execute(
        select(SafetyPlan).where(SafetyPlan.member_id == member.id)
    ).scalar_one_or_none()


def has_plan(member) -> bool:
    """Whether ``member`` has a plan (one indexed lookup; the layout asks it)."""
    found = db.session.execute(
        select(SafetyPlan.id).where(SafetyPlan.member_id == member.id)
    ).first()
    return found is not None


def sections_of(plan: SafetyPlan | None) -> dict[str, list[str]]:
    """The plan's seven lists by section key (empty lists when there is no plan)."""
    return {key: list(getattr(plan, key) or []) if plan else [] for key in SECTION_KEYS}


def save_plan(member, sections: dict[str, list[str]], now: datetime | None = None) -> SafetyPlan:
    """Store ``sections`` as ``member``'s plan, creating it on the first save.

    Two first saves at the same moment (two tabs) leave one plan holding the later text.
    """
    now = now or utcnow()
    plan = plan_of(member)
    if plan is None:
        plan = SafetyPlan(member_id=member.id, created_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(plan)
        except IntegrityError:
            plan = plan_of(member)
    for key in SECTION_KEYS:
        setattr(plan, key, list(sections.get(key) or []))
    plan.updated_at = now
    if plan.review_every_days:
        plan.remind_at = now + timedelta(days=plan.review_every_days)
    db.session.flush()
    return plan


def delete_plan(member) -> bool:
    """Delete ``member``'s plan; whether there was one."""
    deleted = db.session.execute(delete(SafetyPlan).where(SafetyPlan.member_id == member.id))
    return bool(deleted.rowcount)


def set_reminder(plan: SafetyPlan, every_days: int | None, now: datetime | None = None) -> None:
    """Remind the member every ``every_days`` days (30, 60 or 90), counted from now; None
    switches reminders off."""
    if every_days is not None and every_days not in REVIEW_CHOICES:
        raise ValueError(f"reminders come every {REVIEW_CHOICES} days, not {every_days}")
    plan.review_every_days = every_days
    plan.remind_at = (now or utcnow()) + timedelta(days=every_days) if every_days else None
    db.session.flush()


def leave_due_reminders(now: datetime) -> int:
    """Leave an in-app notice for every member whose plan reminder is due; how many.

    The notice says only that it is a reminder they asked for; the next one is due a whole
    interval later. Deleted accounts have no plan left, so get none.
    """
    due = db.session.execute(
        select(SafetyPlan)
        .join(Member, Member.id == SafetyPlan.member_id)
        .where(
            SafetyPlan.remind_at.is_not(None),
            SafetyPlan.remind_at <= now,
            SafetyPlan.review_every_days.is_not(None),
            Member.deleted_at.is_(None),
        )
        .order_by(SafetyPlan.id)
    ).scalars()
    sent = 0
    for plan in due:
        db.session.add(
            Notice(
                member_id=plan.member_id,
                kind=REMINDER_KIND,
                text=english(REMINDER_TEXT),
                link=REMINDER_LINK,
                created_at=now,
            )
        )
        plan.remind_at = now + timedelta(days=plan.review_every_days)
        sent += 1
    db.session.flush()
    return sent


def starting_sections(region: str | None) -> dict[str, list[str]]:
    """A new plan: empty but for the professionals and services, which start with the crisis
    lines for ``region`` (emergency services first), for the member to keep, remove or add
    to."""
    sections = {key: [] for key in SECTION_KEYS}
    resources = emergency_first(resources_for(region, limit=None))
    sections["professionals"] = [resource_line(resource) for resource in resources]
    return sections


def emergency_first(resources: list) -> list:
    """The same resources with emergency services first (a stable sort).

    Once forum.crisis.resources orders emergency services first itself (the crisis-page
    work), this is a no-op and can go.
    """
    return sorted(resources, key=lambda resource: "emergency" not in resource.name.lower())


def resource_line(resource) -> str:
    """One crisis resource as a line of the plan, "Name (hours): how to reach it" and its web
    address as plain text when there is room; cut at a word to the longest line a plan takes,
    so that no number is cut in half."""
    hours = " ".join(str(resource.hours or "").split())
    how = " ".join(str(resource.how or "").split())
    line = f"{resource.name} ({hours}): {how}" if hours else f"{resource.name}: {how}"
    if len(line) > MAX_ITEM_LENGTH:
        line = f"{resource.name}: {how}"
    address = web_address(resource.url)
    if address and len(line) + len(address) + 1 <= MAX_ITEM_LENGTH:
        line += f" {address}"
    if len(line) <= MAX_ITEM_LENGTH:
        return line
    cut = line[: MAX_ITEM_LENGTH - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def web_address(url: str | None) -> str | None:
    """A web address as people read it ("samaritans.org"): plain text, never a link, so the
    printed and downloaded plan point nowhere but at phone numbers."""
    if not url:
        return None
    bare = re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/")
    return bare or None


def export_plan(member) -> dict | None:
    """The plan as the member's data export holds it (None when they have none)."""
    plan = plan_of(member)
    if plan is None:
        return None
    return {
        "sections": sections_of(plan),
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "review_every_days": plan.review_every_days,
        "next_reminder_at": plan.remind_at,
    }
