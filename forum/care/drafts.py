"""Drafts kept on the server, per member and per form ("place"), so nothing is lost."""

from sqlalchemy import delete, select

from forum.extensions import db
from forum.models import Draft, utcnow


def place_for_new_thread(board) -> str:
    return f"new:{board.slug}"


def place_for_reply(thread) -> str:
    return f"reply:{thread.id}"


def place_for_edit(post) -> str:
    return f"edit:{post.id}"


def save_draft(member, place: str, fields: dict) -> Draft:
    """Create or update the member's draft for ``place`` from the form's fields."""
    draft = find_draft(member, place)
    if draft is None:
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
    return draft


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


def place_url(place: str) -> str | None:
    """The form a draft belongs to."""
    kind, _, rest = place.partition(":")
    if kind == "new" and rest:
        return f"/b/{rest}/new"
    if kind == "reply" and rest.isdigit():
        return f"/t/{rest}/reply"
    if kind == "edit" and rest.isdigit():
        return f"/p/{rest}/edit"
    return None


def valid_place(place: str) -> bool:
    return len(place) <= 80 and place_url(place) is not None
