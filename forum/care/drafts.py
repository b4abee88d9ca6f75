"""Drafts kept on the server, per member and per form ("place"), so nothing is lost."""

import re

from flask import current_app
from sqlalchemy import delete, select

from forum.extensions import db
from forum.models import Draft, utcnow

# "new:<board slug>", "reply:<thread id>", "edit:<post id>". Ids are ASCII digits with no
# sign or leading zero, at most 18 of them (below 2**63), so no place can overflow a query.
PLACE_PATTERN = re.compile(r"(new):([a-z0-9-]{1,64})|(reply|edit):([1-9][0-9]{0,17})")


def place_for_new_thread(board) -> str:
    return f"new:{board.slug}"


def place_for_reply(thread) -> str:
    return f"reply:{thread.id}"


def place_for_edit(post) -> str:
    return f"edit:{post.id}"


def save_draft(member, place: str, fields: dict) -> Draft:
    """Create or update the member's draft for ``place`` from the form's fields.

    A member keeps at most ``FORUM_DRAFTS_MAX`` drafts: a new one beyond that removes the
    oldest (never the one being saved).
    """
    draft = find_draft(member, place)
    created = draft is None
    if created:
        draft = Draft(member_id=member.id, place=place)
        db.session.add(draft)
    draft.title = (fields.get("title") or "")[:150]
    draft.body = fields.get("body") or ""
    draft.anonymous = bool(fields.get("anonymous"))
    # Cut to the columns' sizes: a draft keeps what it can, it never fails to save.
    draft.content_warning = (fields.get("content_warning") or "")[:16] or None
    draft.content_warning_text = (fields.get("content_warning_text") or "")[:60] or None
    draft.updated_at = utcnow()
    db.session.flush()
    if created:
        drop_oldest_drafts(member, keep=draft, limit=current_app.config["FORUM_DRAFTS_MAX"])
    return draft


def drop_oldest_drafts(member, keep: Draft, limit: int) -> None:
    """Delete the member's oldest drafts (by last save) beyond ``limit``, sparing ``keep``."""
    others = (
        select(Draft.id)
        .where(Draft.member_id == member.id, Draft.id != keep.id)
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
        .offset(max(limit - 1, 0))
    )
    db.session.execute(
        delete(Draft).where(Draft.id.in_(others)),
        execution_options={"synchronize_session": False},
    )


def find_draft(member, place: str) -> Draft | None:
    if not getattr(member, "is_authenticated", False):
        return None
    return db.session.execute(
        select(Draft).filter_by(member_id=member.id, place=place)
    ).scalar_one_or_none()


def clear_draft(member, place: str) -> None:
    db.session.execute(delete(Draft).where(Draft.member_id == member.id, Draft.place == place))


def draft_fields(draft: Draft) -> dict:
    """A draft as form data for pre-filling the form it came from."""
    return {
        "title": draft.title,
        "body": draft.body,
        "anonymous": draft.anonymous,
        "content_warning": draft.content_warning or "",
        "content_warning_text": draft.content_warning_text or "",
    }


def drafts_of(member) -> list[Draft]:
    return list(
        db.session.execute(
            select(Draft).filter_by(member_id=member.id).order_by(Draft.updated_at.desc())
        ).scalars()
    )


def parse_place(place: str) -> tuple[str, str | int] | None:
    """("new", board slug), ("reply", thread id) or ("edit", post id); None for anything else."""
    found = PLACE_PATTERN.fullmatch(place or "")
    if found is None:
        return None
    if found.group(1):
        return "new", found.group(2)
    return found.group(3), int(found.group(4))


def place_url(place: str) -> str | None:
    """The form a draft belongs to."""
    parsed = parse_place(place)
    if parsed is None:
        return None
    kind, key = parsed
    return {"new": f"/b/{key}/new", "reply": f"/t/{key}/reply", "edit": f"/p/{key}/edit"}[kind]
