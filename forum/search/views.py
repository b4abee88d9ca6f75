"""Thin views (stub: filled in by the search work)."""

from flask import Blueprint

bp = Blueprint("search", __name__)
