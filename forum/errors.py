"""Error pages in the site's layout."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from forum import faults
from forum.faults import render_even_if_database_is_down
from forum.redirects import is_safe_local_path
from forum.web import carried_from_request, render_carried_text

MESSAGES = {
    400: (
        _l("Something in that request wasn't right"),
        _l(
            "Please go back and try again. If you were writing something, use your browser's "
            "back button: your text is usually still there."
        ),
    ),
    403: (
        _l("You can't do that here"),
        _l("Your account does not have permission for this action."),
    ),
    404: (
        _l("We couldn't find that page"),
        _l("It may have been moved or deleted, or the address may be mistyped."),
    ),
    405: (
        _l("That action isn't available here"),
        _l("Please go back and use the page's own buttons."),
    ),
    413: (
        _l("That was too large to send"),
        _l(
            "Nothing was saved. Please use your browser's back button: your text is still there. "
            "Shorten it (posts are at most 20,000 characters), then send it again."
        ),
    ),
    429: (
        _l("Please slow down for a moment"),
        _l("You have done that many times in a short while. Take a breath and try again soon."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("It's not your fault. Please try again in a moment."),
    ),
}


def render_error(code: int, detail: str | None = None, kept: dict[str, str] | None = None):
    """Render the error page for ``code`` with an optional more specific message.

    ``kept`` ({label: text}) is what the person typed into the refused form, shown back so
    that nothing they wrote is lost even on a page of its own.
    """
    title, message = MESSAGES.get(code, MESSAGES[500])
    page = render_even_if_database_is_down(
        lambda: render_template(
            "errors/error.html",
            code=code,
            title=str(title),
            message=str(detail or message),
            kept=kept or {},
        )
    )
    return page, code


def init_app(app) -> None:
    """Register the handlers: every HTTP error, database faults, any unexpected exception."""
    faults.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "This form has expired or was sent from another site. "
                "Please go back, reload the page and send it again."
            ),
        )

    @app.errorhandler(429)
    def too_many(error):
        carried = carried_from_request() if request.method == "POST" else {}
        if (carried.get("body") or carried.get("title")) and is_safe_local_path(request.path):
            return render_even_if_database_is_down(
                lambda: render_carried_text(
                    request.path,
                    carried,
                    heading=str(MESSAGES[429][0]),
                    status=429,
                    message=_(
                        "You have posted several times in a short while. Your words are "
                        "kept below: take a breath, then send them in a minute or two."
                    ),
                )
            )
        return render_error(429)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        # Flask has logged the exception (path only: never the form or query string).
        faults.forget_failed_work()
        return render_error(500)
