"""Thin views (stub: filled in by the feeds work)."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)
