"""A search: the public posts holding every word, best match first, 20 a page.

Ranking is bounded: the full-text index alone picks the newest ``candidate_bound()`` posts
holding every word (FTS5 walks its doclist newest first; PostgreSQL scans its primary key
backwards or its GIN index, whichever is cheaper), and only those are scored, filtered and
sorted. However many posts hold a common word, a search ranks at most that many, so its cost
stays flat as the forum grows; the page says so when the bound was reached.

One query finds the page of posts with their thread, board, author and alias (no query per
result), and one counts the candidates. Visibility is checked on the posts themselves, not
trusted to the index.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import contains_eager

from forum.auth.services import HANDLE_PATTERN
from forum.blocking import NO_BLOCKS, BlockSets, block_sets
from forum.display import Byline, byline_of
from forum.extensions import db
from forum.models import Board, Member, Post, Thread
from forum.render import text_of
from forum.search.folding import fold_sql
from forum.search.index import PG_CONFIG, is_public
from forum.search.schema import (
    BODY_WEIGHT,
    SQLITE_INDEX,
    TITLE_WEIGHT,
    postgres_index,
    sqlite_index,
)
from forum.search.snippets import highlight, snippet
from forum.search.terms import fts5_query
from forum.warnings import hidden_for, warning_of

RESULTS_PER_PAGE = 20
BOARD_SLUG_LENGTH = 64
# How many of the newest matching posts a search ranks (FORUM_SEARCH_CANDIDATES overrides):
# 50 pages of results, and about 10 ms of ranking on this project's 2-core bench machine.
SEARCH_CANDIDATES = 1000


@dataclass(frozen=True)
class SearchResult:
    """One found post, as a reader may see it: the alias for anonymous posts, never the
    account."""

    post_id: int
    title: Markup
    board_name: str
    board_slug: str
    byline: Byline
    created_at: datetime
    snippet: Markup
    warning_label: str | None = None
    warning_open: bool = False
    # The reader chose not to see posts with this warning, or blocked the author.
    hidden_by_settings: bool = False
    collapsed_by_block: bool = False


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    page: int
    has_next: bool
    # Only the newest ``bound`` posts holding the words were ranked: older ones may exist.
    limited: bool = False
    bound: int = SEARCH_CANDIDATES


def candidate_bound() -> int:
    """How many of the newest matching posts one search ranks."""
    return int(current_app.config.get("FORUM_SEARCH_CANDIDATES", SEARCH_CANDIDATES))


def _matching(dialect: str, terms: list[str]):
    """(index table, its post-id column, the condition "holds every term", the score of a
    row: ts_rank on PostgreSQL, bm25 on SQLite)."""
    if dialect == "postgresql":
        query = func.plainto_tsquery(PG_CONFIG, fold_sql(" ".join(terms)))
        document = postgres_index.c.document
        return (
            postgres_index,
            postgres_index.c.post_id,
            document.op("@@")(query),
            lambda newest: func.ts_rank(newest.c.document, query),
        )
    table_name = literal_column(SQLITE_INDEX)
    return (
        sqlite_index,
        sqlite_index.c.rowid,
        table_name.op("MATCH")(fts5_query(terms)),
        # The weights follow the columns (title, body).
        func.bm25(
            table_name, literal_column(repr(TITLE_WEIGHT)), literal_column(repr(BODY_WEIGHT))
        ),
    )


def _candidates(dialect: str, terms: list[str], bound: int):
    """(the newest ``bound`` index rows holding every term, as a subquery with ``post_id``;
    the best-first ordering of its rows; a query counting them)."""
    index, key, holds, score = _matching(dialect, terms)

    def newest(*columns):
        return select(key.label("post_id"), *columns).where(holds).order_by(key.desc())

    counted = select(func.count()).select_from(newest().limit(bound).subquery())
    if dialect == "postgresql":
        rows = newest(index.c.document).limit(bound).subquery("candidates")
        # Scored outside the LIMIT, so only the candidates are ever ranked.
        return rows, score(rows).desc(), counted
    # bm25() is smaller for better matches. FTS5 computes it only for the rows its
    # newest-first walk returns, so it can sit inside the LIMIT (and only there).
    rows = newest(score.label("score")).limit(bound).subquery("candidates")
    return rows, rows.c.score.asc(), counted


def search_posts(
    terms: list[str],
    viewer,
    *,
    board_slug: str | None = None,
    author_handle: str | None = None,
    page: int = 1,
) -> SearchPage:
    """Public posts holding every one of ``terms``, on ``board_slug`` and signed by
    ``author_handle`` when given (their anonymous posts never count as theirs)."""
    bound = candidate_bound()
    if not terms or not _plausible(board_slug, author_handle):
        return SearchPage(results=[], page=page, has_next=False, bound=bound)
    dialect = db.session.get_bind().dialect.name
    candidates, best_first, counted = _candidates(dialect, terms, bound)
    statement = (
        select(Post)
        .select_from(candidates)
        .join(Post, Post.id == candidates.c.post_id)
        .join(Post.thread)
        .join(Thread.board)
        .outerjoin(Post.author)
        .outerjoin(Post.alias)
        .where(is_public())
        .order_by(best_first, Post.created_at.desc(), Post.id.desc())
        .options(
            contains_eager(Post.thread).contains_eager(Thread.board),
            contains_eager(Post.author),
            contains_eager(Post.alias),
        )
        .limit(RESULTS_PER_PAGE + 1)
        .offset((page - 1) * RESULTS_PER_PAGE)
    )
    if board_slug:
        statement = statement.where(Board.slug == board_slug)
    if author_handle:
        statement = statement.where(
            Member.handle_key == author_handle.lower(),
            Member.deleted_at.is_(None),
            Post.is_anonymous.is_(False),
        )
    posts = list(db.session.execute(statement).scalars())
    found = db.session.execute(counted).scalar_one()
    blocks = block_sets(viewer) if posts else NO_BLOCKS
    return SearchPage(
        results=[_result(post, terms, viewer, blocks) for post in posts[:RESULTS_PER_PAGE]],
        page=page,
        has_next=len(posts) > RESULTS_PER_PAGE,
        limited=found >= bound,
        bound=bound,
    )


def _plausible(board_slug: str | None, author_handle: str | None) -> bool:
    """Filters that could name a board and a member (anything else finds nothing)."""
    if board_slug and (len(board_slug) > BOARD_SLUG_LENGTH or not board_slug.isprintable()):
        return False
    return not author_handle or HANDLE_PATTERN.fullmatch(author_handle) is not None


def _result(post: Post, terms: list[str], viewer, blocks: BlockSets) -> SearchResult:
    warning = warning_of(post)
    return SearchResult(
        post_id=post.id,
        title=highlight(post.thread.title, terms),
        board_name=post.thread.board.name,
        board_slug=post.thread.board.slug,
        byline=byline_of(post),
        created_at=post.created_at,
        snippet=snippet(text_of(post.body_html), terms),
        warning_label=warning.label if warning else None,
        warning_open=bool(getattr(viewer, "open_content_warnings", False)),
        hidden_by_settings=hidden_for(viewer, warning),
        collapsed_by_block=blocks.collapses(post),
    )


def board_choices() -> list[tuple[str, str]]:
    """(slug, name) of every board, in their order, for the search form."""
    rows = db.session.execute(select(Board.slug, Board.name).order_by(Board.position, Board.id))
    return [(slug, name) for slug, name in rows]
