"""Thin views for the admin area: boards and the moderator role. Admins only."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.admin import services
from forum.admin.blueprint import bp
from forum.admin.forms import BoardEditForm, BoardForm, GrantModeratorForm
from forum.auth.services import find_member
from forum.extensions import db
from forum.lookups import get_board_or_404, get_member_by_handle_or_404
from forum.web import admin_required, form_checks_csrf, render_form


def admin_page(status: int = 200, board_form=None, grant_form=None, refusal: str | None = None):
    """The admin page; a form that was sent and refused comes back with what was typed."""
    return render_template(
        "admin/index.html",
        boards=services.boards_in_order(),
        staff=services.staff_members(),
        board_form=board_form or BoardForm(formdata=None),
        grant_form=grant_form or GrantModeratorForm(formdata=None),
        refusal=refusal,
    ), status


def back_to_board(slug: str):
    return redirect(url_for("admin.index", _anchor=f"board-{slug}"))


@bp.get("")
@admin_required
def index():
    return admin_page()


@bp.post("/boards")
@form_checks_csrf
@admin_required
def create_board():
    form = BoardForm()
    if not form.validate_on_submit():
        return admin_page(400, board_form=form)
    try:
        board = services.create_board(
            current_user,
            form.slug.data,
            form.name.data,
            form.description.data or "",
            form.moderation_mode.data,
        )
    except services.SlugTaken as error:
        form.slug.errors = [str(error)]
        return admin_page(400, board_form=form)
    db.session.commit()
    flash(_("The board %(name)s is open at %(path)s.", name=board.name, path="/b/" + board.slug))
    return back_to_board(board.slug)


@bp.route("/boards/<slug>/edit", methods=["GET", "POST"])
@form_checks_csrf
@admin_required
def edit_board(slug):
    board = get_board_or_404(slug)
    form = BoardEditForm(obj=board)
    if not form.validate_on_submit():
        return render_form("admin/edit.html", form, board=board)
    changed = services.update_board(
        current_user,
        board,
        form.name.data,
        form.description.data or "",
        form.moderation_mode.data,
    )
    db.session.commit()
    flash(
        _("Saved the changes to %(name)s.", name=board.name)
        if changed
        else _("Nothing needed changing.")
    )
    return back_to_board(board.slug)


@bp.post("/boards/<slug>/move")
@admin_required
def move_board(slug):
    board = get_board_or_404(slug)
    direction = request.form.get("direction", "")
    try:
        neighbour = services.move_board(current_user, board, direction)
    except services.AdminRefused as error:
        return admin_page(400, refusal=str(error))
    db.session.commit()
    if direction == "up":
        flash(_("Moved %(name)s up, past %(other)s.", name=board.name, other=neighbour.name))
    else:
        flash(_("Moved %(name)s down, past %(other)s.", name=board.name, other=neighbour.name))
    return back_to_board(board.slug)


@bp.post("/boards/<slug>/archive")
@admin_required
def archive_board(slug):
    return _set_archived(get_board_or_404(slug), archived=True)


@bp.post("/boards/<slug>/unarchive")
@admin_required
def unarchive_board(slug):
    return _set_archived(get_board_or_404(slug), archived=False)


def _set_archived(board, archived: bool):
    changed = services.set_board_archived(current_user, board, archived)
    db.session.commit()
    if not changed:
        if archived:
            flash(_("%(name)s was already archived.", name=board.name))
        else:
            flash(_("%(name)s was already open.", name=board.name))
    elif archived:
        flash(
            _(
                "Archived %(name)s: it is off the board index and takes no new threads.",
                name=board.name,
            )
        )
    else:
        flash(_("%(name)s is open again and back on the board index.", name=board.name))
    return back_to_board(board.slug)


@bp.post("/moderators")
@form_checks_csrf
@admin_required
def grant_moderator():
    form = GrantModeratorForm()
    if not form.validate_on_submit():
        return admin_page(400, grant_form=form)
    member = find_member(form.handle.data)
    if member is None:
        form.handle.errors = [f"No member has the handle {form.handle.data}. Check the spelling?"]
        return admin_page(400, grant_form=form)
    try:
        changed = services.grant_moderator(current_user, member)
    except services.AdminRefused as error:
        form.handle.errors = [str(error)]
        return admin_page(400, grant_form=form)
    db.session.commit()
    if changed:
        flash(_("%(handle)s is now a moderator.", handle=member.handle))
    else:
        flash(_("%(handle)s is already a moderator.", handle=member.handle))
    return redirect(url_for("admin.index", _anchor="moderators"))


@bp.post("/moderators/<handle>/revoke")
@admin_required
def revoke_moderator(handle):
    member = get_member_by_handle_or_404(handle)
    try:
        services.revoke_moderator(current_user, member)
    except services.AdminRefused as error:
        return admin_page(400, refusal=str(error))
    db.session.commit()
    flash(
        _(
            "%(handle)s is a member again: the moderator role is taken back.",
            handle=member.handle,
        )
    )
    return redirect(url_for("admin.index", _anchor="moderators"))
