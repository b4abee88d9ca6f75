"""The admin area: boards (create, edit, reorder, archive, moderation mode) and moderators."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

import forum.admin.crisis_views  # noqa: E402,F401  (crisis resources: /admin/crisis)
from forum.admin import views  # noqa: E402,F401  (routes register on import)
