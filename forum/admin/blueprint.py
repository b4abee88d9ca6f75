"""The admin area's blueprint, shared by its two view modules (boards and moderators in
``views``, crisis resources in ``crisis_views``); create_app imports both."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
