"""Thin views for the safety plan: a member's own plan at /safety-plan, and the blank template
anyone may fill in, print or download with nothing stored.

A plan is its member's alone: every route here reads ``current_user``'s plan and no other, so
no address can name someone else's (there is no plan id or handle in any URL), and every
answer is sent with ``Cache-Control: no-store``.
"""

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum import policy, ratelimits
from forum.crisis.resources import reader_region
from forum.errors import render_error
from forum.extensions import csrf, db
from forum.forms import ButtonForm
from forum.safety_plan import services
from forum.safety_plan.content import (
    IN_DANGER_NOW,
    MAX_ITEM_LENGTH,
    MAX_ITEMS,
    SECTION_KEYS,
    SECTIONS,
)
from forum.safety_plan.forms import PlanForm, ReminderForm
from forum.safety_plan.numbers import linked_parts, linked_sections
from forum.web import form_checks_csrf

bp = Blueprint("safety_plan", __name__)

NO_CSRF = {"csrf": False}
OUTPUTS = ("print", "download", "edit")
FILE_NAME = "my-safety-plan.html"
SLOW_DOWN = _l(
    "You have saved your plan many times in a short while, so this save was not made. "
    "Everything you wrote is still below: please try again in a little while."
)
LOGGED_OUT = _l(
    "You were logged out before your plan was saved, so it is not saved yet. Everything you "
    "wrote is below. Log in (in a new tab if you like), then press “Save my plan” again; or "
    "print or download it from here."
)
CROSS_SITE = _l(
    "This form was sent from another site, so we did not open it. If you filled it in here, "
    "go back: your words are still in the form."
)


@bp.app_context_processor
def plan_link():
    """The layout offers "My safety plan" to members who have one (asked only when shown,
    once a request: the header and the footer both offer it)."""
    return {"has_safety_plan": member_has_plan}


def member_has_plan() -> bool:
    if "member_has_plan" not in g:
        g.member_has_plan = policy.is_member(current_user) and services.has_plan(current_user)
    return g.member_has_plan


def private(page: str, status: int = 200):
    """A response no browser or proxy keeps: it holds someone's plan."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def page_values() -> dict:
    return {"sections": SECTIONS, "max_items": MAX_ITEMS, "max_length": MAX_ITEM_LENGTH}


def editor(form, status: int | None = None):
    """The member's form: save it, or print or download it without saving."""
    if status is None:
        status = 400 if form.errors else 200
    page = render_template("safety_plan/edit.html", form=form, mode="member", **page_values())
    return private(page, status)


def template_page(form, status: int | None = None, ended: bool = False):
    """The blank template anyone may fill in: print or download, nothing stored."""
    if status is None:
        status = 400 if form.errors else 200
    page = render_template(
        "safety_plan/edit.html", form=form, mode="template", ended=ended, **page_values()
    )
    return private(page, status)


def starting_form(**kwargs) -> PlanForm:
    """A new plan's form: the crisis lines of the reader's region in section 5."""
    region = reader_region(current_user, request.args.get("region"))
    return PlanForm.filled(services.starting_sections(region), **kwargs)


@bp.get("/safety-plan")
def show():
    if not policy.is_member(current_user):
        return template_page(starting_form(meta=NO_CSRF))
    plan = services.plan_of(current_user)
    if plan is None:
        return editor(starting_form())
    reminder = ReminderForm(review_every=str(plan.review_every_days or "off"))
    page = render_template(
        "safety_plan/show.html",
        plan=plan,
        sections=linked_sections(services.sections_of(plan)),
        reminder_form=reminder,
    )
    return private(page)


@bp.route("/safety-plan/edit", methods=["GET", "POST"])
@form_checks_csrf
def edit():
    if not policy.is_member(current_user):
        return logged_out_edit()
    if request.method == "POST":
        form = PlanForm()
    else:
        plan = services.plan_of(current_user)
        form = PlanForm.filled(services.sections_of(plan)) if plan else starting_form()
    if not form.validate_on_submit():
        return editor(form)
    if ratelimits.safety_plan_save_refused():
        form.form_errors.append(str(SLOW_DOWN))
        return editor(form, status=429)
    services.save_plan(current_user, form.sections())
    db.session.commit()
    flash(_("Your plan is saved. Only you can see it."))
    return redirect(url_for("safety_plan.show"))


def logged_out_edit():
    """Someone not logged in: a GET goes to the login page; a plan sent after the session
    ended comes back whole, to save after logging in, or to print or download now."""
    typed = any((request.form.get(key) or "").strip() for key in SECTION_KEYS)
    if request.method != "POST" or not typed:
        return current_app.login_manager.unauthorized()
    form = PlanForm(meta=NO_CSRF)
    form.validate()
    form.form_errors.append(str(LOGGED_OUT))
    return template_page(form, status=200, ended=True)


@bp.get("/safety-plan/print")
def print_view():
    """The plan on one or two sheets of paper; a blank sheet to write on without a plan."""
    plan = services.plan_of(current_user) if policy.is_member(current_user) else None
    return private(document(services.sections_of(plan), plan, mode="print"))


@bp.get("/safety-plan/download")
def download():
    plan = services.plan_of(current_user) if policy.is_member(current_user) else None
    if plan is None:
        return redirect(url_for("safety_plan.show"))
    return plan_file(services.sections_of(plan), plan)


@bp.route("/safety-plan/blank", methods=["GET", "POST"])
@csrf.exempt
def blank():
    """The template without an account: the POST prints or downloads what was typed, and
    stores and logs nothing. It carries no session-bound CSRF token (so that it needs no
    cookie); what protects it from other sites is ``sent_from_this_site``."""
    if request.method == "GET":
        return template_page(starting_form(meta=NO_CSRF))
    if not sent_from_this_site():
        return private(*render_error(400, str(CROSS_SITE)))
    form = PlanForm(meta=NO_CSRF)
    output = request.form.get("output")
    if not form.validate() or output not in OUTPUTS or output == "edit":
        return template_page(form)
    if output == "download":
        return plan_file(form.sections(), None)
    return private(document(form.sections(), None, mode="print", carried=form))


def sent_from_this_site() -> bool:
    """Whether the browser says this request came from one of the forum's own pages.

    Browsers send ``Sec-Fetch-Site`` (and ``Origin``) with every form post, and a page on
    another site cannot change them (OWASP: verifying origin with standard headers). A
    request with neither does not come from a browser a cross-site page could use.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    ours = {request.host, urlsplit(current_app.config["FORUM_BASE_URL"]).netloc}
    return urlsplit(origin).netloc in ours


def document(sections, plan, mode: str, carried=None, inline_css: str | None = None) -> str:
    return render_template(
        "safety_plan/document.html",
        sections=linked_sections(sections),
        plan=plan,
        mode=mode,
        carried=carried,
        inline_css=inline_css,
        footnote=linked_parts(str(IN_DANGER_NOW)),
    )


def plan_file(sections, plan):
    """The plan as one self-contained HTML file (its CSS inline, nothing to fetch), to keep
    and open offline."""
    response = private(document(sections, plan, mode="file", inline_css=plan_css()))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{FILE_NAME}"'
    return response


def plan_css() -> str:
    return _read_css(str(Path(current_app.static_folder) / "plan.css"))


@cache
def _read_css(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


@bp.post("/safety-plan/reminder")
@login_required
def reminder():
    plan = services.plan_of(current_user)
    form = ReminderForm()
    if plan is None or not form.validate_on_submit():
        return redirect(url_for("safety_plan.show"))
    services.set_reminder(plan, form.days)
    db.session.commit()
    if form.days:
        flash(
            _(
                "We will remind you every %(days)d days, in your notifications. "
                "The reminder never says what it is about to anyone else.",
                days=form.days,
            )
        )
    else:
        flash(_("No more reminders."))
    return redirect(url_for("safety_plan.show"))


@bp.route("/safety-plan/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = ButtonForm()
    if request.method == "GET":
        if not services.has_plan(current_user):
            return redirect(url_for("safety_plan.show"))
        return private(render_template("safety_plan/delete.html", form=form))
    if services.delete_plan(current_user):
        db.session.commit()
        flash(_("Your safety plan is deleted."))
    return redirect(url_for("safety_plan.show"))
