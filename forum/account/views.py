"""Thin views for the account pages: password, recovery code, data export, deletion."""

import json

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from forum import ratelimits, security_log
from forum.account import recovery, services
from forum.account.forms import (
    ChangePasswordForm,
    ConfirmPasswordForm,
    DeleteAccountForm,
    RecoverForm,
)
from forum.extensions import db
from forum.models import utcnow
from forum.web import form_checks_csrf, render_form

NOT_YOURS = _l("That is not your password.")
GOODBYE = _l(
    "Your account is deleted. Thank you for the time you spent here, "
    "and please take good care of yourself."
)

bp = Blueprint("account", __name__)


def log_in_fresh(member, remember: bool = False) -> None:
    """Log ``member`` in on a fresh session (as at login), e.g. after their token changed."""
    session.clear()
    login_user(member, remember=remember)


def recovery_code_page(code: str, continue_url: str, status: int = 200):
    """Show a recovery code once: never cached, never shown again."""
    page = render_template("account/recovery_code.html", code=code, continue_url=continue_url)
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
@ratelimits.login_by_address
@form_checks_csrf
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if services.change_own_password(
            current_user, form.current_password.data, form.password.data
        ):
            db.session.commit()
            security_log.password_changed(current_user)
            # The token changed: stay logged in here, on it, while every other session ends.
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            log_in_fresh(current_user._get_current_object(), remember=cookie in request.cookies)
            flash(_("Your password is changed. You have been logged out everywhere else."))
            return redirect(url_for("account.change_password"))
        form.current_password.errors.append(str(NOT_YOURS))
    return render_form("account/password.html", form)


@bp.route("/settings/recovery", methods=["GET", "POST"])
@login_required
@ratelimits.login_by_address
@form_checks_csrf
def recovery_code():
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        if services.password_matches(current_user, form.password.data):
            code = recovery.issue_recovery_code(current_user)
            db.session.commit()
            return recovery_code_page(code, url_for("account.recovery_code"))
        form.password.errors.append(str(NOT_YOURS))
    has_code = recovery.has_recovery_code(current_user)
    return render_form("account/recovery.html", form, has_code=has_code)


@bp.route("/recover", methods=["GET", "POST"])
@ratelimits.login_by_address
@ratelimits.login_by_handle
@form_checks_csrf
def recover():
    form = RecoverForm()
    if form.validate_on_submit():
        try:
            member, code = recovery.recover_account(
                form.handle.data, form.recovery_code.data, form.password.data, utcnow()
            )
        except recovery.RecoveryRefused:
            security_log.recovery_failed()
            ratelimits.count_failed_attempt()
            form.recovery_code.errors.append(str(recovery.RECOVERY_FAILED))
        except recovery.AccountSuspended as suspended:
            until = suspended.until.strftime("%d %B %Y")
            form.recovery_code.errors.append(
                _("This account is suspended until %(until)s.", until=until)
            )
        else:
            db.session.commit()
            log_in_fresh(member)
            security_log.account_recovered(member)
            flash(_("Welcome back, %(handle)s. Your new password is set.", handle=member.handle))
            return recovery_code_page(code, url_for("boards.index"))
    response = make_response(render_form("account/recover.html", form))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/settings/export")
@login_required
def export_data():
    data = services.export_member_data(current_user, now=utcnow())
    response = make_response(json.dumps(data, indent=2, ensure_ascii=False))
    response.mimetype = "application/json"
    filename = f"forum-export-{current_user.handle}.json"
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
@ratelimits.login_by_address
@form_checks_csrf
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if services.password_matches(current_user, form.password.data):
            services.delete_account(
                current_user, keep_posts=form.posts.data == "keep", now=utcnow()
            )
            db.session.commit()
            logout_user()
            session.clear()
            flash(str(GOODBYE))
            return redirect(url_for("boards.index"))
        form.password.errors.append(str(NOT_YOURS))
    return render_form("account/delete.html", form)
