"""Thin views for moderators writing to a member privately, from a post (the queue, a thread
page) or a profile. Each opens a private conversation and goes to it."""

from flask import abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forum import policy, ratelimits
from forum.auth.services import find_member
from forum.boards.queries import all_boards
from forum.extensions import db
from forum.lookups import get_post_or_404
from forum.moderation import outreach
from forum.moderation.forms import MessageForm
from forum.moderation.views import bp, refused
from forum.web import moderator_required

SENT = _l("Your message is sent. Only the member and the moderators can read this conversation.")


@bp.post("/mod/posts/<id:post_id>/message")
@ratelimits.posting
@moderator_required
def message_post_author(post_id):
    """Write to a post's author: an anonymous post's author stays unnamed to the moderator."""
    post = get_post_or_404(post_id)
    policy.require(policy.can_message_author(current_user, post))
    form = MessageForm()
    if not form.validate_on_submit():
        return refused(form)
    conversation = outreach.message_post_author(current_user, post, form.title.data, form.body.data)
    db.session.commit()
    return sent(conversation)


@bp.post("/mod/users/<handle>/message")
@ratelimits.posting
@moderator_required
def message_member(handle):
    member = find_member(handle)
    if member is None or member.is_deleted:
        abort(404)
    policy.require(policy.can_message_member(current_user, member))
    form = MessageForm()
    if not form.validate_on_submit():
        return refused(form)
    boards = all_boards() or abort(404)
    conversation = outreach.message_member(
        current_user, member, boards[0], form.title.data, form.body.data
    )
    db.session.commit()
    return sent(conversation)


def sent(conversation):
    flash(str(SENT))
    return redirect(url_for("threads.show", thread_id=conversation.id, slug=conversation.slug))
