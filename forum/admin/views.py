"""Thin views for the admin area."""

from flask import render_template

from forum.admin import bp
from forum.web import admin_required


@bp.get("")
@admin_required
def index():
    return render_template("admin/index.html")
