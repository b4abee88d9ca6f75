"""Thin views for the optional email settings: address, digest frequency, excerpts."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum import ratelimits
from forum.digest import services
from forum.digest.forms import EmailSettingsForm
from forum.extensions import db
from forum.forms import ButtonForm
from forum.web import form_checks_csrf, render_form

bp = Blueprint("digest", __name__)

TEMPLATE = "digest/settings.html"
SAVED = {
    "off": _l("Your email settings are saved. The forum will not email you."),
    "daily": _l(
        "Your email settings are saved. You'll get at most one email a day, "
        "only when something is new."
    ),
    "weekly": _l(
        "Your email settings are saved. You'll get at most one email a week, "
        "only when something is new."
    ),
}


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
@ratelimits.login_by_address
@form_checks_csrf
def email_settings():
    member = current_user
    if not services.email_available():
        # Nothing to send with: show why, and only offer to remove an address kept from before.
        page = render_template(TEMPLATE, form=None, available=False, remove_form=ButtonForm())
        return page, 400 if request.method == "POST" else 200
    form = EmailSettingsForm(
        email=member.email or "", digest=member.digest, digest_excerpts=member.digest_excerpts
    )
    if form.validate_on_submit():
        problem = services.address_change_problem(member, form.email.data, form.password.data)
        if problem is None:
            services.save_email_settings(
                member,
                address=form.email.data,
                digest=form.digest.data,
                excerpts=form.digest_excerpts.data,
            )
            db.session.commit()
            flash(str(SAVED[member.digest]))
            return redirect(url_for("digest.email_settings"))
        form.password.errors.append(problem)
    return render_form(TEMPLATE, form, available=True, remove_form=ButtonForm())


@bp.post("/settings/email/remove")
@login_required
def remove_email():
    if services.remove_email(current_user):
        db.session.commit()
    flash(_("Your email address is removed. The forum will not email you."))
    return redirect(url_for("digest.email_settings"))
