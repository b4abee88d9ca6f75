"""Thin admin views for crisis resources: list, add, edit, delete, mark checked. Admins only."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.admin.blueprint import bp
from forum.crisis import services
from forum.crisis.forms import CrisisResourceForm
from forum.crisis.resources import (
    STALE_AFTER,
    all_resources,
    language_label,
    region_label,
    regions_without_24_hour_help,
    stale_resources,
)
from forum.extensions import db
from forum.models import CrisisResource, utcnow
from forum.web import admin_required, form_checks_csrf, render_form


def form_values(form: CrisisResourceForm) -> dict:
    return {name: getattr(form, name).data for name in services.EDITABLE}


def get_resource_or_404(resource_id: int) -> CrisisResource:
    return db.get_or_404(CrisisResource, resource_id)


def crisis_list_page(form=None, status: int = 200):
    """The list of entries with the form for a new one (kept as typed when it was refused)."""
    today = utcnow().date()
    if form is None:
        form = CrisisResourceForm(formdata=None, last_verified=today, region="INT", language="en")
    return render_template(
        "admin/crisis.html",
        resources=all_resources(),
        without_24_hour_help=[
            (region, ", ".join(str(language_label(code)) for code in languages))
            for region, languages in regions_without_24_hour_help()
        ],
        form=form,
        stale_before=today - STALE_AFTER,
        region_label=region_label,
        language_label=language_label,
    ), status


def back_to(resource_id: int | None = None):
    anchor = f"crisis-{resource_id}" if resource_id else None
    return redirect(url_for("admin.crisis_resources", _anchor=anchor))


@bp.get("/crisis")
@admin_required
def crisis_resources():
    return crisis_list_page()


@bp.post("/crisis")
@form_checks_csrf
@admin_required
def create_crisis_resource():
    form = CrisisResourceForm()
    if not form.validate_on_submit():
        return crisis_list_page(form, 400)
    resource = services.create_resource(current_user, **form_values(form))
    db.session.commit()
    flash(_("Added %(name)s: it is on the crisis page now.", name=resource.name))
    return back_to(resource.id)


@bp.route("/crisis/<id:resource_id>/edit", methods=["GET", "POST"])
@form_checks_csrf
@admin_required
def edit_crisis_resource(resource_id):
    resource = get_resource_or_404(resource_id)
    form = CrisisResourceForm(obj=resource)
    if not form.validate_on_submit():
        return render_form("admin/crisis_edit.html", form, resource=resource)
    changed = services.update_resource(current_user, resource, **form_values(form))
    db.session.commit()
    flash(
        _("Saved the changes to %(name)s.", name=resource.name)
        if changed
        else _("Nothing needed changing.")
    )
    return back_to(resource.id)


@bp.post("/crisis/<id:resource_id>/verify")
@admin_required
def verify_crisis_resource(resource_id):
    resource = get_resource_or_404(resource_id)
    services.mark_verified(current_user, resource, utcnow().date())
    db.session.commit()
    flash(_("Marked %(name)s as checked today.", name=resource.name))
    return back_to(resource.id)


@bp.route("/crisis/<id:resource_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_crisis_resource(resource_id):
    resource = get_resource_or_404(resource_id)
    if request.method == "GET":
        return render_template(
            "admin/crisis_delete.html", resource=resource, region_label=region_label
        )
    name = resource.name
    services.delete_resource(current_user, resource)
    db.session.commit()
    flash(_("Deleted %(name)s: it is no longer on the crisis page.", name=name))
    return back_to()


@bp.app_context_processor
def crisis_check_values():
    """``crisis_needing_check()`` for the admin page: entries not checked for 180 days."""
    return {"crisis_needing_check": lambda: stale_resources(utcnow())}
