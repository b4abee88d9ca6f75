"""Thin views: reporting, the moderation queue, actions, the audit log, appeals, notices."""

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum import policy, ratelimits
from forum.auth.services import find_member
from forum.errors import render_error
from forum.extensions import db
from forum.lookups import get_board_or_404, get_post_or_404, get_thread_or_404
from forum.models import Appeal, ModerationEvent
from forum.moderation import actions, appeals, queries, reports
from forum.moderation.forms import (
    ActionForm,
    AppealForm,
    MoveForm,
    ReasonRequiredForm,
    ReportForm,
    SilenceForm,
    SuspendForm,
    TrustForm,
    WarningForm,
)
from forum.notify.views import notifications_page
from forum.paging import BadCursor
from forum.redirects import safe_next_url
from forum.threads.queries import single_post_view
from forum.web import form_checks_csrf, moderator_required, render_form

bp = Blueprint("moderation", __name__)

# action -> (its form, the domain verb); "reveal" answers with a page of its own.
POST_ACTIONS = {
    "approve": (ActionForm, actions.approve_post),
    "hide": (ReasonRequiredForm, actions.hide_post),
    "remove": (ReasonRequiredForm, actions.remove_post),
    "restore": (ActionForm, actions.restore_post),
    "reveal": (ReasonRequiredForm, None),
}
THREAD_ACTIONS = {"lock", "unlock", "pin", "unpin", "move"}
MEMBER_ACTIONS = {
    "silence": SilenceForm,
    "suspend": SuspendForm,
    "reinstate": ActionForm,
    "trust": TrustForm,
}
# The action's name in "Done: hide." (the URL keeps the English word).
ACTION_NAMES = {
    "approve": _l("approve"),
    "hide": _l("hide"),
    "remove": _l("remove"),
    "restore": _l("restore"),
    "lock": _l("lock"),
    "unlock": _l("unlock"),
    "pin": _l("pin"),
    "unpin": _l("unpin"),
    "move": _l("move"),
    "silence": _l("silence"),
    "suspend": _l("suspend"),
    "reinstate": _l("reinstate"),
    "trust": _l("trust"),
}


def back_to(fallback: str):
    """Return to the page the moderator acted from (a local path only)."""
    return redirect(safe_next_url(request.form.get("next"), fallback))


def refused(form, detail: str | None = None, status: int = 400) -> tuple:
    """An action that could not be done (the form did not validate, or ``detail`` says why):
    say so on a page of its own, with the text the moderator typed (a reason, a warning)
    shown back so that it is not lost."""
    messages = [str(message) for errors in form.errors.values() for message in errors]
    kept = {
        str(field.label.text): field.data
        for field in form
        if field.type in ("StringField", "TextAreaField") and field.data
    }
    return render_error(
        status, detail or " ".join(messages) or _("That action could not be done."), kept
    )


@bp.route("/p/<id:post_id>/report", methods=["GET", "POST"])
@ratelimits.reporting
@login_required
@form_checks_csrf
def report(post_id):
    post = get_post_or_404(post_id, current_user)
    policy.require(policy.can_report_post(current_user, post))
    form = ReportForm()
    if not form.validate_on_submit():
        return render_form(
            "moderation/report.html", form, post=post, preview=single_post_view(post, current_user)
        )
    reports.report_post(current_user, post, form.reason.data, form.details.data or "")
    db.session.commit()
    flash(
        _(
            "Thank you for telling us. A moderator will look at it. The author is never told "
            "who reported their post."
        )
    )
    return redirect(url_for("threads.permalink", post_id=post.id))


@bp.get("/mod")
@moderator_required
def queue():
    tab = request.args.get("tab", "reports")
    if tab not in queries.TABS:
        abort(404)
    try:
        page = queries.queue_page(tab, current_user, request.args.get("cursor"))
    except BadCursor:
        return render_error(400, _("That page link is not valid. Please start from the queue."))
    return render_template(
        "moderation/queue.html",
        tab=tab,
        page=page,
    )


@bp.post("/mod/posts/<id:post_id>/<action>")
@moderator_required
def act_on_post(post_id, action):
    if action not in POST_ACTIONS:
        abort(404)
    post = get_post_or_404(post_id)
    policy.require(policy.can_moderate_post(current_user, post))
    form_class, verb = POST_ACTIONS[action]
    form = form_class()
    if not form.validate_on_submit():
        return refused(form)
    if verb is None:
        author = actions.reveal_author(current_user, post, form.reason.data)
        db.session.commit()
        return render_template("moderation/revealed.html", post=post, author=author)
    try:
        verb(current_user, post, form.reason.data)
    except actions.ActionRefused as error:
        return refused(form, str(error))
    db.session.commit()
    flash(_("Done: %(action)s.", action=ACTION_NAMES[action]))
    return back_to(url_for("moderation.queue"))


@bp.post("/mod/posts/<id:post_id>/warning")
@moderator_required
def change_warning(post_id):
    post = get_post_or_404(post_id)
    policy.require(policy.can_moderate_post(current_user, post))
    form = WarningForm()
    if not form.validate_on_submit():
        return refused(form)
    try:
        actions.set_warning(current_user, post, form.warning, form.reason.data)
    except actions.ActionRefused as error:
        return refused(form, str(error))
    db.session.commit()
    flash(_("The content warning is changed."))
    return back_to(url_for("threads.permalink", post_id=post.id))


@bp.post("/mod/threads/<id:thread_id>/<action>")
@moderator_required
def act_on_thread(thread_id, action):
    if action not in THREAD_ACTIONS:
        abort(404)
    thread = get_thread_or_404(thread_id)
    form = MoveForm() if action == "move" else ActionForm()
    if not form.validate_on_submit():
        return refused(form)
    try:
        if action == "move":
            destination = get_board_or_404(form.board.data)
            actions.move_thread(current_user, thread, destination, form.reason.data)
        else:
            actions.set_thread_flag(current_user, thread, action, form.reason.data)
    except actions.ActionRefused as error:
        return refused(form, str(error))
    db.session.commit()
    flash(_("Done: %(action)s.", action=ACTION_NAMES[action]))
    return back_to(url_for("threads.show", thread_id=thread.id, slug=thread.slug))


@bp.post("/mod/users/<handle>/<action>")
@moderator_required
def act_on_member(handle, action):
    if action not in MEMBER_ACTIONS:
        abort(404)
    member = find_member(handle) or abort(404)
    policy.require(policy.can_sanction(current_user, member))
    form = MEMBER_ACTIONS[action]()
    if not form.validate_on_submit():
        return refused(form)
    try:
        _member_action(action, member, form)
    except actions.ActionRefused as error:
        return refused(form, str(error))
    db.session.commit()
    flash(_("Done: %(action)s %(handle)s.", action=ACTION_NAMES[action], handle=member.handle))
    return back_to(url_for("profiles.profile", handle=member.handle))


def _member_action(action, member, form) -> None:
    reason = form.reason.data
    if action == "silence":
        actions.silence_member(current_user, member, int(form.days.data), reason)
    elif action == "suspend":
        until = datetime.combine(form.until.data, time.min)
        actions.suspend_member(current_user, member, until, reason)
    elif action == "trust":
        actions.set_trust(current_user, member, int(form.level.data), reason)
    else:
        actions.reinstate_member(current_user, member, reason)


@bp.post("/mod/appeals/<id:appeal_id>/<decision>")
@moderator_required
def decide_appeal(appeal_id, decision):
    if decision not in ("grant", "deny"):
        abort(404)
    appeal = db.session.get(Appeal, appeal_id) or abort(404)
    form = ActionForm()
    refusal = policy.appeal_decision_block(current_user, appeal)
    if refusal is not None:
        return refused(form, refusal, 403)
    if not form.validate_on_submit():
        return refused(form)
    try:
        appeals.decide_appeal(current_user, appeal, decision == "grant", form.reason.data)
    except actions.ActionRefused as error:
        return refused(form, str(error))
    db.session.commit()
    flash(_("The appeal is decided and its author has been told."))
    return back_to(url_for("moderation.queue", tab="appeals"))


@bp.get("/mod/log")
@moderator_required
def log():
    try:
        page = queries.audit_log(
            actor_id=_member_filter("moderator"),
            subject_id=_member_filter("member"),
            action=request.args.get("action") or None,
            cursor=request.args.get("cursor"),
        )
    except BadCursor:
        return render_error(400, _("That page link is not valid. Please start from the log."))
    return render_template("moderation/log.html", page=page, filters=request.args)


def _member_filter(name: str) -> int | None:
    """The id of the member named by ``?name=``: None when absent, 0 (nobody) when unknown."""
    handle = request.args.get(name)
    if not handle:
        return None
    member = find_member(handle)
    return member.id if member is not None else 0


@bp.route("/appeal/<id:event_id>", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def appeal(event_id):
    event = db.session.get(ModerationEvent, event_id) or abort(404)
    policy.require(event.subject_id == current_user.id, 404)
    form = AppealForm()
    if not appeals.can_appeal(current_user, event):
        # Where the appeal stands, on a page of its own; a form sent again is still refused.
        status = 400 if request.method == "POST" else 200
        return render_template(
            "moderation/appeal_status.html", status=appeals.appeal_status(event)
        ), status
    if not form.validate_on_submit():
        return render_form("moderation/appeal.html", form, event=event)
    try:
        appeals.file_appeal(current_user, event, form.text.data)
    except actions.ActionRefused as error:
        return refused(form, str(error))
    db.session.commit()
    flash(_("Your appeal is with the moderators. A different moderator will decide it."))
    return redirect(url_for("notify.notifications"))


@bp.get("/notices")
@login_required
def notice_list():
    """``/notices``, the older address of the notifications page: the same page."""
    return notifications_page()


import forum.moderation.outreach_views  # noqa: E402,F401,I001  (moderators write to members, on this bp)
