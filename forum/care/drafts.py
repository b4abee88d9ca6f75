"""Drafts kept on the server, per member and per form ("place"), so nothing is lost."""

import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.forms import csrf_failed
from forum.models import Board, Draft, Post, Thread, utcnow
from forum.policy import can_see_thread, owns_post

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


def keep_form_as_draft(member, form, place: str) -> bool:
    """ "Save draft" (no JavaScript needed): keep the form's text on the server (flushed),
    unless its CSRF token was refused (never save text sent from another site)."""
    form.validate()
    if csrf_failed(form):
        return False
    for field in form:
        field.errors = []
    save_draft(member, place, form.data)
    return True


def keep_failed_submit(member, form, place: str) -> None:
    """A submit that could not be posted (a field to fix) keeps its text as a draft too."""
    if form.is_submitted() and not csrf_failed(form) and (form.body.data or "").strip():
        save_draft(member, place, form.data)


def reply_draft(member, thread) -> dict | None:
    """A member's saved reply for this thread, back in the reply box under the thread."""
    draft = find_draft(member, place_for_reply(thread))
    return draft_fields(draft) if draft is not None else None


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


def draft_count(member) -> int:
    """How many drafts the member keeps (the header's "Drafts (n)"): one indexed count."""
    return db.session.execute(
        select(func.count(Draft.id)).where(Draft.member_id == member.id)
    ).scalar_one()


@dataclass(frozen=True)
class DraftView:
    """A draft as its member sees it in /drafts: what it is for, and where to go on."""

    id: int
    label: str
    excerpt: str
    updated_at: datetime
    url: str | None


def draft_list(member) -> list[DraftView]:
    """The member's drafts, newest first, each labelled with the place it belongs to.

    At most four queries whatever their number: the drafts, then the boards, threads and
    posts their places name, each in one query.
    """
    drafts = drafts_of(member)
    places = [(draft, parse_place(draft.place)) for draft in drafts]
    keys = {kind: set() for kind in ("new", "reply", "edit")}
    for _draft, parsed in places:
        if parsed is not None:
            keys[parsed[0]].add(parsed[1])
    boards = _by(Board.slug, keys["new"], select(Board))
    threads = _by(Thread.id, keys["reply"], select(Thread).options(joinedload(Thread.first_post)))
    posts = _by(
        Post.id,
        keys["edit"],
        select(Post).options(joinedload(Post.thread).joinedload(Thread.first_post)),
    )
    found = {"new": boards, "reply": threads, "edit": posts}
    return [
        DraftView(
            id=draft.id,
            label=_label(member, draft, parsed, found),
            excerpt=draft.body[:160] + ("…" if len(draft.body) > 160 else ""),
            updated_at=draft.updated_at,
            url=place_url(draft.place),
        )
        for draft, parsed in places
    ]


def _by(column, keys: set, statement) -> dict:
    """{key: row} for the rows whose ``column`` is among ``keys`` (no query for none)."""
    if not keys:
        return {}
    rows = db.session.execute(statement.where(column.in_(keys))).unique().scalars()
    return {getattr(row, column.key): row for row in rows}


def _label(member, draft: Draft, parsed, found: dict) -> str:
    """What the draft is for: a new thread's title (or its board), the thread of a reply or
    of an edited post. A thread the member may no longer see is not named."""
    if parsed is None:
        return draft.title or _("Untitled")
    kind, key = parsed
    if kind == "new":
        board = found["new"].get(key)
        if draft.title:
            return draft.title
        return _("New thread in %(board)s", board=board.name) if board else _("New thread")
    if kind == "reply":
        thread = _shown_thread(member, found["reply"].get(key))
        if thread is None:
            return _("Reply in a thread no longer shown")
        return _("Reply in “%(title)s”", title=thread.title)
    post = found["edit"].get(key)
    thread = _shown_thread(member, post.thread) if post and owns_post(member, post) else None
    if thread is None:
        return _("Edit of one of your posts")
    return _("Edit of your post in “%(title)s”", title=thread.title)


def _shown_thread(member, thread: Thread | None) -> Thread | None:
    if thread is None:
        return None
    opening = thread.first_post.author_id if thread.first_post else None
    return thread if can_see_thread(member, thread, opening) else None


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
