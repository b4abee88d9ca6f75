"""Security events in the process log: logins, failed logins, refusals, limits, moderation.

Operators need to see an attack (a run of failed logins, a member probing moderator pages)
and to follow what moderators did; members need none of what they wrote or typed to end up
in a log file. So each line names the member by id (and handle, which is already public),
the action and the ids of the objects, and never carries:

* anything typed into a form: a failed login never echoes the handle it was given (people
  type their password into the wrong box), a report's details and a moderator's reason stay
  in the database;
* post text or titles;
* IP addresses (the request log has none either: see ``serve.ACCESS_LOG_FORMAT`` and
  ``forum.log_filters``);
* query strings (paths only).

(SQLAlchemy holds its own loggers at WARNING even when the root logger is at DEBUG, so
statements' rows never reach the log; tests/test_logging_privacy.py keeps that true.)
"""

import logging
import sys

from flask import request
from flask_login import current_user

from forum.log_filters import install_request_log_filter, without_query_strings

logger = logging.getLogger("forum.security")

# The process id tells which gunicorn worker wrote a line.
LOG_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"


def _who(member) -> str:
    if member is None or not getattr(member, "is_authenticated", False):
        return "member=none"
    return f"member={member.id} handle={member.handle}"


def _where() -> str:
    """The endpoint and path of the current request (never its query string nor a thread's
    slug, which is its title)."""
    path = without_query_strings(request.path)
    return f"endpoint={request.endpoint or '-'} {request.method} {path}"


def login_succeeded(member) -> None:
    logger.info("login ok %s", _who(member))


def login_failed(member_id: int | None) -> None:
    """A wrong password for ``member_id``, or (None) a handle no account has."""
    target = f"member={member_id}" if member_id is not None else "member=unknown-handle"
    logger.warning("login failed %s", target)


def logged_out(member) -> None:
    logger.info("logout %s", _who(member))


def password_changed(member) -> None:
    logger.info("password changed %s", _who(member))


def account_recovered(member) -> None:
    """A new password set with a recovery code, and the member logged in."""
    logger.info("account recovered %s", _who(member))


def recovery_failed() -> None:
    """A wrong handle or recovery code (which of the two is not said, nor what was typed)."""
    logger.warning("account recovery failed")


def moderation(event, *, anonymous_post: bool = False) -> None:
    """One line per audit-log row: who, which action, on what (never the reason text).

    On an anonymous post the member it is about is left out: the audit log in the database
    keeps that link for moderators, and a log file must not undo the anonymity.
    """
    subject = "anonymous" if anonymous_post and event.subject_id is not None else event.subject_id
    objects = " ".join(
        f"{name}={value}"
        for name, value in (
            ("event", event.id),
            ("post", event.post_id),
            ("thread", event.thread_id),
            ("subject", subject),
        )
        if value is not None
    )
    logger.info("moderation action=%s actor=%s %s", event.action, event.actor_id, objects)


def csp_violation(violation) -> None:
    """A browser blocked something on a page: the directive and the kind of source only (the
    page's address may hold a search query or a title, the blocked URL anything at all)."""
    logger.warning(
        "csp violation directive=%s blocked=%s disposition=%s",
        violation.directive,
        violation.blocked,
        violation.disposition,
    )


def log_refusals(response):
    """after_request hook: every 403 and 429, whichever code path produced it."""
    if response.status_code == 403:
        logger.warning("forbidden %s %s", _who(current_user), _where())
    elif response.status_code == 429:
        logger.warning("rate limited %s %s", _who(current_user), _where())
    return response


def configure_logging() -> None:
    """Make the forum's INFO lines reach stderr (where gunicorn's log goes).

    When the process has configured logging itself (a root handler, e.g. pytest or an
    operator's dictConfig), only the levels are set and its handlers are used.
    """
    forum_logger = logging.getLogger("forum")
    if forum_logger.level == logging.NOTSET:
        forum_logger.setLevel(logging.INFO)
    if not logging.getLogger().handlers and not forum_logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        forum_logger.addHandler(handler)


def init_app(app) -> None:
    configure_logging()
    # Flask's "Exception on <path> [GET]" lines get the request log's cleaning too.
    install_request_log_filter(app.logger.name)
    app.after_request(log_refusals)
