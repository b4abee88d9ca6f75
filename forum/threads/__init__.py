"""Threads and posts: reading a reply tree, starting threads, replying, editing, deleting."""

from flask import Blueprint

bp = Blueprint("threads", __name__)

from forum.threads import views  # noqa: E402,F401  (routes register on import)
