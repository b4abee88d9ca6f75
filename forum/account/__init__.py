"""Data rights and account safety: password change, export, deletion, recovery codes."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from forum.account import views  # noqa: E402,F401  (routes register on import)
