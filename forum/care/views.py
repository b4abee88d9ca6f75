"""Thin views for care features: reactions, blocking, settings, muted boards, breaks."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user
from wtforms.fields.choices import SelectChoice

from forum import policy, ratelimits
from forum.auth.services import find_member
from forum.blocking import refused_by_author
from forum.boards.queries import all_boards
from forum.care import blocks, reactions
from forum.care import drafts as drafts_module
from forum.care import settings as care_settings
from forum.care.forms import BreakForm, PrivateThreadForm, SettingsForm
from forum.care.private import conversations_of, open_private_thread
from forum.care.waiting import waiting_threads
from forum.crisis.resources import region_choices
from forum.display import byline_of
from forum.errors import render_error
from forum.extensions import db
from forum.forms import ButtonForm
from forum.i18n import offered_languages
from forum.lookups import get_board_or_404, get_post_or_404, get_thread_or_404
from forum.models import Draft
from forum.paging import BadCursor
from forum.threads.queries import single_post_view
from forum.threads.services import set_no_reply_wanted
from forum.web import form_checks_csrf, render_form

bp = Blueprint("care", __name__)


def back_to_post(post_id: int):
    return redirect(url_for("threads.permalink", post_id=post_id))


@bp.post("/p/<id:post_id>/react")
@login_required
def react(post_id):
    post = get_post_or_404(post_id, current_user)
    policy.require(policy.can_react_to(current_user, post, refused_by_author(current_user, post)))
    try:
        added = reactions.toggle_reaction(current_user, post, request.form.get("kind", ""))
    except reactions.ReactionRefused as error:
        return render_error(400, str(error))
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        view = single_post_view(post, current_user)
        return jsonify(
            added=added,
            reactions=[
                {"kind": kind, "label": str(label), "count": count, "mine": mine}
                for kind, label, count, mine in view.reactions
            ],
        )
    return back_to_post(post.id)


@bp.route("/p/<id:post_id>/block", methods=["GET", "POST"])
@login_required
def block_author(post_id):
    """Block whoever wrote this post as they appear on it: for an anonymous post, that alias
    in this thread (never the account behind it)."""
    post = get_post_or_404(post_id, current_user)
    policy.require(policy.can_block(current_user, post))
    shown_as = byline_of(post).name or _("a member")
    if request.method == "GET":
        return render_template(
            "care/block.html",
            post=single_post_view(post, current_user),
            shown_as=shown_as,
            form=ButtonForm(),
        )
    blocks.block_face_of(current_user, post)
    db.session.commit()
    if post.is_anonymous:
        flash(
            _(
                "You blocked %(name)s in this thread. Their posts here are collapsed for you, "
                "and they can't reply to your signed posts here. They are not told.",
                name=shown_as,
            )
        )
    else:
        flash(
            _(
                "You blocked %(name)s. Their signed posts are collapsed for you, and they "
                "can't reply to your signed posts. They are not told.",
                name=shown_as,
            )
        )
    return back_to_post(post.id)


@bp.post("/u/<handle>/block")
@login_required
def block(handle):
    member = find_member(handle) or abort(404)
    try:
        blocks.block_member(current_user, member)
    except blocks.BlockRefused as error:
        return render_error(400, str(error))
    db.session.commit()
    flash(_("You blocked %(handle)s. They are not told.", handle=member.handle))
    return redirect(url_for("profiles.profile", handle=member.handle))


@bp.post("/u/<handle>/unblock")
@login_required
def unblock(handle):
    member = find_member(handle) or abort(404)
    blocks.unblock_member(current_user, member)
    db.session.commit()
    flash(_("You unblocked %(handle)s.", handle=member.handle))
    return redirect(url_for("profiles.profile", handle=member.handle))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def settings():
    form = settings_form()
    if not form.validate_on_submit():
        return render_form("care/settings.html", form, **settings_context())
    care_settings.save_settings(
        current_user,
        region=form.region.data,
        open_content_warnings=form.open_content_warnings.data,
        hidden_warnings=form.hidden_warnings.data or [],
        hide_counts=form.hide_counts.data,
        quiet_mode=form.quiet_mode.data,
        muted_boards=[int(value) for value in form.muted_boards.data or []],
        language=form.language.data,
    )
    db.session.commit()
    flash(_("Your settings are saved."))
    return redirect(url_for("care.settings"))


def settings_form() -> SettingsForm:
    """The settings form, filled from the member's current settings on a GET."""
    member = current_user
    form = SettingsForm(
        region=member.region or "",
        open_content_warnings=member.open_content_warnings,
        hidden_warnings=list(member.hidden_warnings or []),
        hide_counts=member.hide_counts,
        quiet_mode=member.quiet_mode,
        muted_boards=[str(board_id) for board_id in care_settings.muted_board_ids(member)],
        language=member.language or "",
    )
    form.region.choices = [SelectChoice("", _("The forum's default"))] + [
        SelectChoice(code, label) for code, label in region_choices()
    ]
    form.muted_boards.choices = [SelectChoice(str(board.id), board.name) for board in all_boards()]
    form.language.choices = [SelectChoice("", _("Follow my browser"))] + [
        # Each language in its own name, marked as such for screen readers.
        SelectChoice(code, name, render_kw={"lang": code})
        for code, name in offered_languages(current_app.config).items()
    ]
    return form


def settings_context() -> dict:
    return {"blocks": blocks.blocks_of(current_user), "break_form": BreakForm()}


@bp.post("/settings/blocks/<id:block_id>/remove")
@login_required
def remove_block(block_id):
    if blocks.unblock(current_user, block_id):
        db.session.commit()
        flash(_("Unblocked."))
    return redirect(url_for("care.settings"))


@bp.post("/b/<slug>/<any(mute, unmute):action>")
@login_required
def mute_board(slug, action):
    board = get_board_or_404(slug)
    care_settings.set_board_muted(current_user, board, action == "mute")
    db.session.commit()
    if action == "mute":
        flash(_("You muted %(board)s.", board=board.name))
    else:
        flash(_("You unmuted %(board)s.", board=board.name))
    return redirect(url_for("boards.show", slug=board.slug))


@bp.post("/settings/break")
@login_required
def take_break():
    form = BreakForm()
    if not form.validate_on_submit():
        return render_error(400, _("Please choose 1, 7 or 30 days."))
    days = int(form.days.data)
    care_settings.start_break(current_user, days)
    db.session.commit()
    logout_user()
    session.clear()
    flash(
        ngettext(
            "Your break has started. Take care of yourself. See you in %(num)d day, "
            "or whenever you are ready.",
            "Your break has started. Take care of yourself. See you in %(num)d days, "
            "or whenever you are ready.",
            days,
        )
    )
    return redirect(url_for("boards.index"))


@bp.get("/waiting")
@login_required
def waiting():
    policy.require(policy.can_see_waiting_list(current_user))
    try:
        page = waiting_threads(
            care_settings.muted_board_ids(current_user), request.args.get("cursor")
        )
    except BadCursor:
        return render_error(400, _("That page link is not valid. Please start from the list."))
    return render_template("care/waiting.html", page=page)


@bp.post("/t/<id:thread_id>/<any('no-reply-wanted', 'reply-welcome'):choice>")
@login_required
def reply_wish(thread_id, choice):
    thread = get_thread_or_404(thread_id, current_user)
    policy.require(policy.can_choose_reply_wish(current_user, thread))
    set_no_reply_wanted(thread, choice == "no-reply-wanted")
    db.session.commit()
    flash(
        _("Noted: this thread won't be listed as waiting for a reply.")
        if choice == "no-reply-wanted"
        else _("Noted: replies are welcome here.")
    )
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@bp.route("/private/new", methods=["GET", "POST"])
@ratelimits.posting
@login_required
@form_checks_csrf
def private_thread():
    """ "Talk to a moderator privately": a conversation only the member and moderators see."""
    board = _private_board(request.values.get("board"))
    form = PrivateThreadForm()
    if not form.validate_on_submit():
        return render_form("care/private_new.html", form, board=board)
    thread = open_private_thread(
        current_user, board, form.title.data, form.body.data, submission_key=form.key
    )
    db.session.commit()
    flash(_("Only you and the moderators can see this. A moderator will answer here."))
    return redirect(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@bp.get("/private")
@login_required
def private_conversations():
    """The member's own private conversations with the moderators."""
    try:
        page = conversations_of(current_user, request.args.get("cursor"))
    except BadCursor:
        return render_error(400, _("That page link is not valid. Please start from the list."))
    return render_template("care/private_list.html", page=page)


def _private_board(slug: str | None):
    """The board a private thread is opened from (the first board when none is named)."""
    if slug:
        return get_board_or_404(slug)
    boards = all_boards()
    return boards[0] if boards else abort(404)


@bp.get("/drafts")
@login_required
def drafts():
    return render_template("care/drafts.html", drafts=drafts_module.draft_list(current_user))


@bp.app_context_processor
def draft_values():
    """``draft_count()`` for the header's "Drafts (n)": called only for a member's page."""
    return {"draft_count": lambda: drafts_module.draft_count(current_user)}


@bp.post("/drafts/save")
@login_required
def save_draft():
    """Autosave from the draft script (and any form that posts here): JSON in, JSON out."""
    place = request.form.get("place", "")
    require_draft_place(place)
    drafts_module.save_draft(current_user, place, request.form)
    db.session.commit()
    return jsonify(saved=True)


def require_draft_place(place: str) -> None:
    """404 unless ``place`` names a form the member may use right now. Whatever the reason
    (no such form, a thread they may not see, a locked thread, another's post), the answer
    is the same page, so it never tells that a held or private thread exists."""
    parsed = drafts_module.parse_place(place)
    policy.require(parsed is not None, 404)
    kind, key = parsed
    if kind == "new":
        allowed = policy.can_start_thread(current_user, get_board_or_404(key))
    elif kind == "reply":
        allowed = policy.can_reply(current_user, get_thread_or_404(key, current_user))
    else:
        allowed = policy.can_edit_post(current_user, get_post_or_404(key, current_user))
    policy.require(allowed, 404)


@bp.post("/drafts/<id:draft_id>/delete")
@login_required
def delete_draft(draft_id):
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.member_id != current_user.id:
        abort(404)
    drafts_module.clear_draft(current_user, draft.place)
    db.session.commit()
    flash(_("Draft deleted."))
    return redirect(url_for("care.drafts"))
