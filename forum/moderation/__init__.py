"""Report-and-review moderation: reports, the queue, actions, the audit log, appeals, notices."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from forum.moderation import views  # noqa: E402,F401  (routes register on import)
