"""Thin views (stub: filled in by the notify work)."""

from flask import Blueprint

bp = Blueprint("notify", __name__)
