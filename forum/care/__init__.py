"""Care features: content warnings, reactions, blocks, muted boards, settings, waiting list."""

from flask import Blueprint

bp = Blueprint("care", __name__)

from forum.care import views  # noqa: E402,F401  (routes register on import)
