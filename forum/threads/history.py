"""A post's edit history: its earlier versions, for its author and the moderators only.

Members often edit to take out something that identifies them, so earlier versions are never
public: everyone else gets the same 404 as for a post that does not exist. Versions are shown
as their author wrote them (Markdown source, escaped), so nothing is rendered on a page view.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from forum import policy
from forum.extensions import db
from forum.lookups import get_post_or_404
from forum.models import Post, PostRevision

bp = Blueprint("history", __name__)


@dataclass(frozen=True)
class Version:
    """One version of a post's text and when it was written."""

    text: str
    written_at: datetime
    is_current: bool = False


def versions_of(post: Post) -> list[Version]:
    """The post's versions, newest first: the current text, then each earlier one (one query)."""
    revisions = db.session.execute(
        select(PostRevision).filter_by(post_id=post.id).order_by(PostRevision.id.desc())
    ).scalars()
    current = Version(post.body_source, post.edited_at or post.created_at, is_current=True)
    return [current, *(Version(r.body_source, r.written_at) for r in revisions)]


@bp.get("/p/<id:post_id>/history")
def show(post_id):
    post = get_post_or_404(post_id, current_user)
    policy.require(policy.can_see_history(current_user, post), 404)
    return render_template("threads/history.html", post=post, versions=versions_of(post))
