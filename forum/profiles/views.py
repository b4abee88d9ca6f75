"""Thin view for member profiles."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.errors import render_error
from forum.lookups import get_member_by_handle_or_404
from forum.models import utcnow
from forum.pagecache import lurker_cacheable
from forum.paging import BadCursor
from forum.profiles import queries

bp = Blueprint("profiles", __name__)


@bp.get("/u/<handle>")
@lurker_cacheable
def profile(handle):
    member = get_member_by_handle_or_404(handle)
    if member.is_deleted:
        abort(404)
    try:
        posts = queries.public_posts(member, current_user, cursor=request.args.get("before"))
    except BadCursor:
        return render_error(400, _("That page link is not valid. Please start from the profile."))
    return render_template(
        "profiles/profile.html",
        now=utcnow(),
        member=member,
        posts=posts,
        is_first_page=not request.args.get("before"),
    )
