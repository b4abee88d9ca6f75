"""Boards: the board index and each board's list of threads."""

from flask import Blueprint

bp = Blueprint("boards", __name__)

from forum.boards import views  # noqa: E402,F401  (routes register on import)
