"""Views for the guidelines, crisis, robots.txt, favicon and health-check pages."""

from flask import Blueprint, current_app, render_template, request, send_from_directory
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text

from forum.crisis.contacts import contact_links
from forum.crisis.resources import (
    crisis_intro,
    crisis_page_resources,
    reader_region,
    region_choices,
    region_label,
)
from forum.extensions import db
from forum.pagecache import lurker_cacheable
from forum.pages.content import guidelines_html

bp = Blueprint("pages", __name__)
ONE_WEEK = 7 * 24 * 3600
# Tap-to-call and tap-to-text links for crisis lines, wherever a template lists them.
bp.add_app_template_global(contact_links, "crisis_contact_links")


@bp.get("/guidelines")
@lurker_cacheable
def guidelines():
    language = get_locale().language
    return render_template("pages/guidelines.html", guidelines_html=guidelines_html(language))


@bp.get("/crisis")
@lurker_cacheable
def crisis():
    region = reader_region(current_user, request.args.get("region"))
    first, more = crisis_page_resources(region)
    return render_template(
        "pages/crisis.html",
        intro=crisis_intro(),
        region=region,
        first=first,
        more=more,
        region_choices=region_choices(),
        region_label=region_label,
    )


@bp.get("/robots.txt")
def robots():
    rules = "Allow: /" if current_app.config["FORUM_ALLOW_INDEXING"] else "Disallow: /"
    return f"User-agent: *\n{rules}\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/favicon.ico")
def favicon():
    """The icon browsers ask for at the root without being told (the pages link the SVG too)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=ONE_WEEK)


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
