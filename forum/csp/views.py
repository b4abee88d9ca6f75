"""``POST /csp-report``: where browsers send Content-Security-Policy violation reports.

Browsers send these on their own, with no cookie-bound form and so no CSRF token: the route
is exempt from the CSRF check (it changes nothing but an in-memory list and a log line) and
rate limited per address instead (``FORUM_LIMIT_CSP_REPORTS``).
"""

from collections import deque

from flask import Blueprint, current_app, request

from forum import ratelimits, security_log
from forum.csp.reports import ACCEPTED_TYPES, MAX_REPORT_BYTES, BadReport, parse_reports
from forum.extensions import csrf

bp = Blueprint("csp", __name__)

KEPT_REPORTS = 100


@bp.post("/csp-report")
@csrf.exempt
@ratelimits.csp_reports
def report():
    if request.mimetype not in ACCEPTED_TYPES:
        return _plain("Send a CSP report as application/csp-report or reports+json.", 415)
    raw = _body_within_limit()
    if raw is None:
        return _plain("A CSP report is at most 64 KB.", 413)
    try:
        violations = parse_reports(raw)
    except BadReport:
        return _plain("That is not a CSP violation report.", 400)
    kept = current_app.extensions["csp_reports"]
    for violation in violations:
        kept.append(violation)
        security_log.csp_violation(violation)
    return "", 204


def _body_within_limit() -> bytes | None:
    """The body, or None when it is over the limit (whether or not Content-Length says so)."""
    if request.content_length is not None and request.content_length > MAX_REPORT_BYTES:
        return None
    raw = request.stream.read(MAX_REPORT_BYTES + 1)
    return None if len(raw) > MAX_REPORT_BYTES else raw


def _plain(message: str, status: int):
    return message + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app) -> None:
    """The last reports, newest last, for tests and for an operator's debugging shell."""
    app.extensions["csp_reports"] = deque(maxlen=KEPT_REPORTS)
