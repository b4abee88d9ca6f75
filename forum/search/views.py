"""Thin view for /search, and the set-up search needs when the app is created."""

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user

from forum.log_filters import install_request_log_filter
from forum.search import index as _index  # noqa: F401  (registers the index-keeping hooks)
from forum.search import queries
from forum.search.terms import clean_query, search_terms
from forum.web import page_number

bp = Blueprint("search", __name__)


@bp.record_once
def _keep_queries_out_of_logs(state) -> None:
    # Installed when the app is created, before the server logs its first request.
    install_request_log_filter()


@bp.get("/search")
def search():
    """Results for ``q`` (with optional ``board`` and ``author``), or a prompt to type a word."""
    query = clean_query(request.args.get("q"))
    board = request.args.get("board", "").strip()
    author = request.args.get("author", "").strip()
    page = page_number()
    terms = search_terms(query)
    found = queries.search_posts(
        terms, current_user, board_slug=board, author_handle=author, page=page
    )
    page_html = render_template(
        "search/results.html",
        query=query,
        terms=terms,
        board=board,
        author=author,
        boards=queries.board_choices(),
        found=found,
    )
    response = make_response(page_html)
    # What someone searched for stays out of shared caches, history snapshots and referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
