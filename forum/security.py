"""Security headers on every response: pages, errors, redirects, static files and feeds.

The Content-Security-Policy allows nothing from other sites and no inline script or style,
so even a sanitizer mistake could not run code in a reader's browser. Pages for logged-in
members are never stored by a browser or proxy (shared and borrowed devices).
"""

from flask import current_app
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self'",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        # Browsers tell forum.csp what they blocked: a sanitizer gap shows up in the log.
        "report-uri /csp-report",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"


def add_protective_headers(headers, config) -> None:
    """The headers every response carries, whoever asked (see also ``forum.pagecache``,
    whose lurker fast lane answers without a Flask request)."""
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    if config.get("FORUM_HTTPS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def add_security_headers(response):
    """after_request hook: the same protective headers on everything the forum sends."""
    headers = response.headers
    add_protective_headers(headers, current_app.config)
    if getattr(current_user, "is_authenticated", False):
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    app.after_request(add_security_headers)
