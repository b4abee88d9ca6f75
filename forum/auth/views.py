"""Thin views for registering, logging in and logging out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from forum import ratelimits, security_log
from forum.account.recovery import issue_recovery_code
from forum.account.views import recovery_code_page
from forum.auth import services
from forum.auth.forms import LoginForm, RegisterForm
from forum.care.settings import end_break
from forum.extensions import db, login_manager
from forum.forms import ButtonForm
from forum.models import utcnow
from forum.redirects import is_safe_local_path, safe_next_url
from forum.web import (
    CARRIED_FIELDS,
    form_checks_csrf,
    load_member,
    render_carried_text,
    render_form,
)

bp = Blueprint("auth", __name__)


@login_manager.unauthorized_handler
def send_lurker_to_login():
    """Send someone who is not logged in to the login page, and back afterwards.

    A post sent after the session ended (expired, or logged out elsewhere) is not dropped:
    the login page carries the text, and after logging in the person sees it again.
    """
    if request.method == "POST" and (request.form.get("body") or request.form.get("title")):
        return login_carrying_text()
    if request.method == "GET":
        target = request.full_path.rstrip("?")
    else:
        # A form was sent: come back to the page it was sent from, not to a POST-only URL.
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        target = referrer.path if same_site and is_safe_local_path(referrer.path) else "/"
    flash(_("Please log in or register to continue."), "info")
    return redirect(url_for("auth.login", next=target))


def login_carrying_text():
    """The login page holding the post the person was sending when their session ended."""
    carried = {f"carried_{name}": request.form.get(name, "") for name in CARRIED_FIELDS}
    form = LoginForm(formdata=None, next=request.path, **carried)
    return render_template("auth/login.html", form=form), 200


LOGIN_FAILED = _l("That handle and password do not match an account.")


def start_session(member, remember: bool = False) -> None:
    """Log ``member`` in on a fresh session (nothing from before login carries over)."""
    session.clear()
    login_user(member, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@ratelimits.registration
@form_checks_csrf
def register():
    if current_user.is_authenticated:
        return redirect(url_for("boards.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            member = services.register_member(form.handle.data, form.password.data)
        except services.HandleTaken as refused:
            form.handle.errors.append(str(refused.message))
        else:
            code = issue_recovery_code(member)
            db.session.commit()
            start_session(member)
            flash(
                _(
                    "Welcome, %(handle)s. Take your time: read, and post when you're ready.",
                    handle=member.handle,
                )
            )
            # Shown once, before anything else: the only way back in without an email address.
            next_url = safe_next_url(request.args.get("next"), url_for("boards.index"))
            return recovery_code_page(code, next_url)
    return render_form("auth/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@ratelimits.login_by_address
@ratelimits.login_by_handle
@form_checks_csrf
def login():
    form = LoginForm(next=request.args.get("next", ""))
    target = safe_next_url(form.next.data, url_for("boards.index"))
    if current_user.is_authenticated:
        return redirect(target)
    if form.validate_on_submit():
        member = services.authenticate(form.handle.data, form.password.data)
        if member is not None and member.is_suspended(utcnow()):
            until = member.suspended_until.strftime("%d %B %Y")
            form.password.errors.append(
                _("This account is suspended until %(until)s.", until=until)
            )
        elif member is not None and member.is_on_break(utcnow()):
            db.session.commit()
            return ask_to_end_break(member, form.remember.data)
        elif member is not None:
            db.session.commit()
            start_session(member, remember=form.remember.data)
            security_log.login_succeeded(member)
            if form.carries_text and is_safe_local_path(form.next.data):
                return render_carried_text(
                    form.next.data,
                    {name: getattr(form, f"carried_{name}").data for name in CARRIED_FIELDS},
                    heading=_("Welcome back"),
                    message=_(
                        "Here is what you were writing. It has not been posted yet: "
                        "check it, then send it."
                    ),
                )
            return redirect(target)
        if member is None:
            known = services.find_member(form.handle.data)
            security_log.login_failed(known.id if known is not None else None)
            ratelimits.count_failed_attempt()
        form.password.errors.append(str(LOGIN_FAILED))
    return render_form("auth/login.html", form)


def ask_to_end_break(member, remember: bool):
    """Logging in during a break asks first whether to end it early."""
    session.clear()
    session["break_login"] = {"token": member.session_token, "remember": bool(remember)}
    return render_template("auth/break.html", until=member.break_until, form=ButtonForm())


@bp.post("/break/end")
def end_break_and_log_in():
    pending = session.pop("break_login", None)
    member = load_member(pending["token"]) if pending else None
    if member is None:
        return redirect(url_for("auth.login"))
    end_break(member)
    db.session.commit()
    start_session(member, remember=pending["remember"])
    security_log.login_succeeded(member)
    flash(_("Welcome back. Go gently."))
    return redirect(url_for("boards.index"))


@bp.post("/logout")
@login_required
def logout():
    services.end_all_sessions(current_user)
    db.session.commit()
    security_log.logged_out(current_user)
    logout_user()
    session.clear()
    flash(_("You have logged out. Take care."))
    return redirect(url_for("boards.index"))
