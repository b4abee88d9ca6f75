"""Views for the guidelines, crisis, robots.txt and health-check pages."""

from flask import current_app, render_template
from sqlalchemy import text

from forum.extensions import db
from forum.pages import bp
from forum.pages.content import crisis_resources, guidelines_html


@bp.get("/guidelines")
def guidelines():
    return render_template("pages/guidelines.html", guidelines_html=guidelines_html())


@bp.get("/crisis")
def crisis():
    data = crisis_resources(current_app.config.get("FORUM_CRISIS_RESOURCES_FILE"))
    return render_template("pages/crisis.html", intro=data["intro"], resources=data["resources"])


@bp.get("/robots.txt")
def robots():
    rules = "Allow: /" if current_app.config["FORUM_ALLOW_INDEXING"] else "Disallow: /"
    return f"User-agent: *\n{rules}\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
