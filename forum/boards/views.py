"""Thin views for the board index and board pages."""

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from forum.boards import queries
from forum.boards.latest import latest_threads
from forum.boards.services import board_text
from forum.care.settings import muted_board_ids
from forum.errors import render_error
from forum.lookups import get_board_or_404
from forum.notify.services import is_watching_board
from forum.pagecache import lurker_cacheable
from forum.paging import BadCursor
from forum.web import page_number

bp = Blueprint("boards", __name__)


@bp.app_template_filter("board_name")
def board_name(board) -> str:
    """A board's name in the reader's language (a shipped board's, until an admin renames it)."""
    return board_text(board, "name", get_locale().language)


@bp.app_template_filter("board_description")
def board_description(board) -> str:
    """A board's description in the reader's language, as ``board_name``."""
    return board_text(board, "description", get_locale().language)


@bp.get("/")
@lurker_cacheable
def index():
    muted = muted_board_ids(current_user)
    summaries = queries.board_index(muted)
    listed = [summary.board for summary in summaries if not summary.muted]
    return render_template(
        "boards/index.html", summaries=summaries, latest=latest_threads(current_user, listed)
    )


@bp.get("/b/<slug>")
@lurker_cacheable
def show(slug):
    board = get_board_or_404(slug)
    cursor = request.args.get("cursor")
    page = page_number()
    try:
        threads = queries.board_threads(board, current_user, cursor=cursor, page=page)
    except BadCursor:
        return render_error(400, _("That page link is not valid. Please start from the board."))
    return render_template(
        "boards/show.html",
        board=board,
        threads=threads,
        is_first_page=not cursor and page == 1,
        muted=board.id in muted_board_ids(current_user),
        watching=is_watching_board(current_user, board),
    )
