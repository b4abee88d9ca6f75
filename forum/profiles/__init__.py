"""Member profiles: handle, month joined and public (non-anonymous) posts."""

from flask import Blueprint

bp = Blueprint("profiles", __name__)

from forum.profiles import views  # noqa: E402,F401  (routes register on import)
