"""Pages for when the database itself fails: a full disk (507) or a database out of reach (503).

A member who has just written something painful must never lose it to a fault on our side. So
when a write fails because the disk is full, or the database cannot be reached (stopped,
restarting, its file gone), the session is rolled back (no half-written thread or post stays
behind) and the page shows what they typed, in a form that sends it again.

These pages must render with the database down. The layout normally reads the current member
and their unread notices; while ``g.database_fault`` is set it reads neither (see base.html),
and the member's row is not touched (after a rollback it is expired, and reading an attribute
would query the database again).
"""

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from forum.extensions import db, login_manager
from forum.redirects import is_safe_local_path

# SQLite's primary result codes (sqlite3 exposes them as ``sqlite_errorcode`` since 3.11).
SQLITE_FULL = 13
# PostgreSQL's SQLSTATE class 53 "insufficient resources": 53100 is disk_full.
PG_DISK_FULL = "53100"
DISK_FULL_WORDS = ("database or disk is full", "no space left on device", "disk full")

RETRY_AFTER_SECONDS = 10

# Never shown back nor carried in the retry form: secrets, and what the form machinery adds.
HIDDEN_NAMES = ("password", "token", "csrf", "secret", "totp", "recovery", "code")
# Shown in a textarea to copy, with these labels; other fields ride along in hidden inputs.
TEXT_LABELS = {
    "title": _l("Title"),
    "body": _l("Your post"),
    "content_warning_text": _l("Your own warning"),
    "details": _l("What you wrote"),
    "description": _l("Description"),
    "text": _l("Your text"),
    # The safety plan's sections (forum.safety_plan.content).
    "warning_signs": _l("My warning signs"),
    "coping": _l("Things I can do on my own to cope"),
    "distractions": _l("People and places that take my mind off things"),
    "helpers": _l("People I can ask for help"),
    "professionals": _l("Professionals and services I can contact"),
    "safer_surroundings": _l("Making my surroundings safer"),
    "reasons_for_living": _l("My reasons for living"),
}

HEADINGS = {
    507: (
        _l("We could not save your post — your text is kept below"),
        _l(
            "Our server has run out of storage space, so nothing was saved. This is not your "
            "fault. Copy your words somewhere safe if you like, then try again in a little while."
        ),
    ),
    503: (
        _l("The forum is not reachable for a moment — your text is kept below"),
        _l(
            "Our database is not answering right now (it may be restarting), so nothing was "
            "saved. This is not your fault. Your words are below: please try again in a minute."
        ),
    ),
}
PLAIN_503 = (
    _l("The forum is not reachable for a moment"),
    _l(
        "Our database is not answering right now (it may be restarting). This is not your "
        "fault. Please try again in a minute."
    ),
)


def is_disk_full(error: Exception) -> bool:
    """Whether a database error means "no space left": SQLITE_FULL, or PostgreSQL's 53100."""
    orig = getattr(error, "orig", None) or error
    if getattr(orig, "sqlite_errorcode", None) == SQLITE_FULL:
        return True
    if getattr(orig, "sqlstate", None) == PG_DISK_FULL:
        return True
    message = str(orig).lower()
    return any(words in message for words in DISK_FULL_WORDS)


def forget_failed_work() -> None:
    """Roll back whatever the request had written; never fail while doing so."""
    try:
        db.session.rollback()
    except DBAPIError:
        # The connection is gone; dropping the session returns it to the pool for discarding.
        db.session.remove()


def kept_fields(form) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """What the person typed: ([(name, label, text)] to show, [(name, value)] to carry).

    Passwords, tokens and codes are left out of both: they are never printed into a page.
    """
    shown, carried = [], []
    for name in form:
        if any(word in name.lower() for word in HIDDEN_NAMES):
            continue
        value = form.get(name, "")
        if not value:
            continue
        if name in TEXT_LABELS:
            shown.append((name, str(TEXT_LABELS[name]), value))
        else:
            carried.append((name, value))
    return shown, carried


def enter_fault_mode() -> None:
    """Switch off the layout's database reads for the rest of this request.

    Flask-Login's template context loads the member on every render; standing in an anonymous
    visitor for them (for this response only: the session cookie is untouched) avoids it.
    """
    g.database_fault = True
    g._login_user = login_manager.anonymous_user()


def render_in_fault_mode(template: str, status: int, **context):
    """Render ``template`` with the layout's database reads switched off."""
    enter_fault_mode()
    return render_template(template, **context), status


def render_even_if_database_is_down(render):
    """Call ``render()`` (an error page); should the layout's reads fail because the database
    is down too, roll back and render it again without them. Costs nothing when all is well."""
    try:
        return render()
    except (OperationalError, InterfaceError):
        forget_failed_work()
        enter_fault_mode()
        return render()


def fault_page(status: int):
    """The 507 or 503 page; on a POST with text, that text and a form to send it again."""
    shown, carried = kept_fields(request.form) if request.method == "POST" else ([], [])
    if shown:
        heading, message = HEADINGS[status]
        action = request.path if is_safe_local_path(request.path) else None
    else:
        heading, message = HEADINGS[507] if status == 507 else PLAIN_503
        if status == 507:
            heading = _("We could not save that")
        action = None
    page, status = render_in_fault_mode(
        "errors/fault.html",
        status,
        code=status,
        heading=str(heading),
        message=str(message),
        shown=shown,
        carried=carried,
        action=action,
    )
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else {}
    return page, status, headers


def handle_database_error(error: DBAPIError):
    """Error handler for OperationalError and InterfaceError: 507 when full, else 503.

    OperationalError covers refused connections, a file that cannot be opened, a server that
    is shutting down or was restarted under a connection, and a lock that never came free;
    InterfaceError a connection closed beneath us. All of them pass: try again shortly.
    """
    forget_failed_work()
    status = 507 if is_disk_full(error) else 503
    # The driver's message only (the engine hides bound values): never what was typed.
    reason = str(getattr(error, "orig", None) or type(error).__name__).splitlines()[0]
    current_app.logger.warning("Database fault (%s) on %s: %s", status, request.path, reason)
    # Before any text is translated: choosing the language may read the member, and the
    # database is what just failed.
    enter_fault_mode()
    return fault_page(status)


def init_app(app) -> None:
    """Register the handlers (called from forum.errors.init_app)."""
    app.register_error_handler(OperationalError, handle_database_error)
    app.register_error_handler(InterfaceError, handle_database_error)
