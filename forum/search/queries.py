"""A search: the public posts holding every word, best match first, 20 a page.

Ranking is bounded (see ``ranking``): only the newest ``candidate_bound()`` posts holding
every word are scored, filtered and sorted, and the page says so when the bound was reached.

One query finds the page of posts with their thread, board, author and alias (no query per
result), and one counts the candidates. Visibility is checked on the posts themselves, not
trusted to the index.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from forum.auth.services import HANDLE_PATTERN
from forum.blocking import NO_BLOCKS, BlockSets, block_sets
from forum.display import Byline, byline_of
from forum.extensions import db
from forum.models import Board, Member, Post, Thread
from forum.render import text_of
from forum.search import ranking
from forum.search.index import is_public
from forum.search.snippets import highlight, snippet
from forum.warnings import hidden_for, warning_of

RESULTS_PER_PAGE = 20
BOARD_SLUG_LENGTH = 64
# How many of the newest matching posts a search ranks (FORUM_SEARCH_CANDIDATES overrides):
# 50 pages of results, and a few milliseconds of ranking (bench/RESULTS.md, "Search").
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
    connection = db.session.connection()
    ranking.plan_for_these_words(connection)
    candidates, score, counted = ranking.candidates(connection.dialect.name, terms, bound)
    # The page's ids first, sorting narrow rows; then those posts with all they show.
    chosen = (
        select(candidates.c.post_id, score.label("score"), Post.created_at)
        .join(Post, Post.id == candidates.c.post_id)
        .join(Post.thread)
        .where(is_public(), *_filters(board_slug, author_handle))
        .order_by(score.desc(), Post.created_at.desc(), Post.id.desc())
        .limit(RESULTS_PER_PAGE + 1)
        .offset((page - 1) * RESULTS_PER_PAGE)
        .subquery("chosen")
    )
    statement = (
        select(Post)
        .select_from(chosen)
        .join(Post, Post.id == chosen.c.post_id)
        .join(Post.thread)
        .join(Thread.board)
        .outerjoin(Post.author)
        .outerjoin(Post.alias)
        .order_by(chosen.c.score.desc(), chosen.c.created_at.desc(), Post.id.desc())
        .options(
            contains_eager(Post.thread).contains_eager(Thread.board),
            contains_eager(Post.author),
            contains_eager(Post.alias),
        )
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


def _filters(board_slug: str | None, author_handle: str | None) -> list:
    """Conditions on a post (joined to its thread) for the board and author filters."""
    conditions = []
    if board_slug:
        board_ids = select(Board.id).where(Board.slug == board_slug)
        conditions.append(Thread.board_id.in_(board_ids.scalar_subquery()))
    if author_handle:
        signed_by = select(Member.id).where(
            Member.handle_key == author_handle.lower(), Member.deleted_at.is_(None)
        )
        conditions.append(Post.author_id.in_(signed_by.scalar_subquery()))
        conditions.append(Post.is_anonymous.is_(False))
    return conditions


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
