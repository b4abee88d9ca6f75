"""Request plumbing shared by every blueprint: URL converters, template helpers, safe redirects."""

from datetime import datetime
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.routing import IntegerConverter

from forum import policy
from forum.avatars import avatar_html
from forum.extensions import csrf, db, login_manager
from forum.models import Member, utcnow
from forum.models.care import REACTIONS
from forum.models.moderation import ACTION_WORDS, REPORT_REASON_WORDS
from forum.warnings import WARNINGS

LARGEST_ID = 2**63 - 1


class IdConverter(IntegerConverter):
    """A positive database id: anything else (letters, zero, overflow) is a 404, never a 500."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=LARGEST_ID)


def moderator_required(view):
    """Lurkers are sent to log in; members who are not moderators get 403."""

    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        policy.require(policy.is_moderator(current_user))
        return view(*args, **kwargs)

    return checked


def admin_required(view):
    """Lurkers are sent to log in; anyone but an admin gets 403."""

    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        policy.require(policy.is_admin(current_user))
        return view(*args, **kwargs)

    return checked


def form_checks_csrf(view):
    """Mark a view whose Flask-WTF form validates the CSRF token itself.

    The global check would reject a stale token before the view runs and lose what the person
    typed; the form's own check puts the message beside the form with the text still in it.
    Every other POST stays under the global check.
    """
    return csrf.exempt(view)


MAX_PAGE_NUMBER = 1_000_000


def page_number() -> int:
    """The ``?page=`` number of this request: 1 when absent, a 404 when it cannot be a page."""
    raw = request.args.get("page", "1").strip()
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:8]) <= MAX_PAGE_NUMBER:
        abort(404)
    return int(raw)


def refuse_file_parts():
    """before_request: a request carrying a file part is refused (400) before any view runs.

    The forum takes no uploads anywhere, but anyone can send a form whose ``handle`` or
    ``body`` is a file: Flask-WTF would hand the field a file object instead of text.
    """
    if request.files:
        abort(400)


def render_form(template: str, form, status: int | None = None, **context):
    """Render a form page: 400 when it was sent and is invalid, always with what was typed."""
    if status is None:
        status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


def site_url_for(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` on FORUM_BASE_URL (feeds, emails).

    Never on the Host header of the request: anyone can send any Host, and a page made for a
    lurker is cached and served to everyone after them.
    """
    base = urlsplit(current_app.config["FORUM_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def site_url(path: str) -> str:
    """The absolute URL of a local ``path`` as pages link it (``/p/9``: any mount point is
    already in it), on the scheme and host of FORUM_BASE_URL."""
    base = urlsplit(current_app.config["FORUM_BASE_URL"])
    return f"{base.scheme or 'http'}://{base.netloc}{path}"


def time_ago(moment: datetime | None) -> str:
    """A short human description of how long ago ``moment`` was ("5 minutes ago"), in the
    reader's language ("hace 5 minutos")."""
    if moment is None:
        return ""
    seconds = max(0, int((utcnow() - moment).total_seconds()))
    for words, size in AGO_UNITS:
        if seconds >= size:
            return words(seconds // size)
    return _("just now")


# Largest first: each says a count of its unit, whole sentences for translators.
AGO_UNITS = (
    (lambda n: ngettext("%(num)d year ago", "%(num)d years ago", n), 31_536_000),
    (lambda n: ngettext("%(num)d month ago", "%(num)d months ago", n), 2_592_000),
    (lambda n: ngettext("%(num)d day ago", "%(num)d days ago", n), 86_400),
    (lambda n: ngettext("%(num)d hour ago", "%(num)d hours ago", n), 3_600),
    (lambda n: ngettext("%(num)d minute ago", "%(num)d minutes ago", n), 60),
)


def iso_time(moment: datetime | None) -> str:
    """The machine-readable form for ``<time datetime=...>`` (UTC)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


@login_manager.user_loader
def load_member(session_token: str) -> Member | None:
    """Find the member by their current session token; rotated tokens log out old cookies."""
    return db.session.execute(
        db.select(Member).filter_by(session_token=session_token)
    ).scalar_one_or_none()


# The fields of a post in flight (a new thread, a reply, an edit): what is carried through a
# login when the session ended, kept on the fault and rate-limit pages, and sent again.
CARRIED_FIELDS = (
    "title",
    "body",
    "parent_id",
    "anonymous",
    "content_warning",
    "content_warning_text",
)


def render_carried_text(
    action: str, carried: dict, *, heading: str, message: str, status: int = 200
):
    """A page holding what someone wrote, in a form that sends it to ``action`` when they
    are ready: used when a session ended or a rate limit stopped a post, so nothing is lost."""
    return render_template(
        "carry_text.html", action=action, carried=carried, heading=heading, message=message
    ), status


def carried_from_request() -> dict:
    """The post fields of this request (title, body, parent, anonymous), as typed."""
    return {name: request.form.get(name, "") for name in CARRIED_FIELDS}


def init_app(app) -> None:
    """Register converters, template filters, page-wide values and the file-part refusal."""
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_file_parts)
    app.jinja_env.filters["ago"] = time_ago
    app.jinja_env.filters["iso"] = iso_time
    app.jinja_env.filters["action_word"] = lambda key: str(ACTION_WORDS.get(key, key))
    app.jinja_env.filters["reason_word"] = lambda key: str(REPORT_REASON_WORDS.get(key, key))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Globals, unlike context values, reach macros imported from _macros.html too.
    app.jinja_env.globals.update(
        policy=policy,
        content_warnings=WARNINGS,
        reaction_labels=REACTIONS,
        avatar=avatar_html,
        current_user=current_user,
    )

    @app.context_processor
    def site_values():
        return {
            "site_name": current_app.config["FORUM_NAME"],
            "allow_indexing": current_app.config["FORUM_ALLOW_INDEXING"],
        }
