"""Thin views (stub: filled in by the digest work)."""

from flask import Blueprint

bp = Blueprint("digest", __name__)
