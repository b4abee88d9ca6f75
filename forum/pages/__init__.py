"""Static-ish pages: guidelines, crisis help, robots.txt and the health check."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from forum.pages import views  # noqa: E402,F401  (routes register on import)
