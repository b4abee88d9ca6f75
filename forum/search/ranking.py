"""Bounded ranking: the newest posts holding every word, chosen by the index, then scored.

However many posts hold a common word, a search scores at most ``bound`` of them, so its
cost stays flat as the forum grows:

- the full-text index alone picks the newest ``bound`` rows holding every word (FTS5 walks
  its doclist newest first and stops; PostgreSQL scans its primary key backwards, or its GIN
  index for a rare word, whichever its planner finds cheaper) — the candidates;
- only the candidates are scored, joined to their posts, filtered and sorted.

Scores. PostgreSQL: ``ts_rank`` over the weighted document (title A, body B), computed
outside the LIMIT. SQLite: FTS5's ``bm25()`` is not used, because its inverse document
frequency counts every row holding each word, once per search (about 50 ms for "the" at
1,000,000 posts); instead the score is BM25's term-frequency part — how often the words
appear in the title and the body (counted with ``highlight()``, which reads only the row
itself), saturating, relative to the text's length — with the same title and body weights.
"""

from sqlalchemy import func, literal_column, select, text

from forum.search.folding import fold_sql
from forum.search.index import PG_CONFIG
from forum.search.schema import (
    BODY_WEIGHT,
    SQLITE_INDEX,
    TITLE_WEIGHT,
    postgres_index,
    sqlite_index,
)
from forum.search.terms import fts5_query

# BM25's k1 and b; lengths are compared with a typical title and post, in characters.
SATURATION, LENGTH_WEIGHT = 1.2, 0.75
TYPICAL_CHARS = {"title": 40, "body": 400}


def _sqlite_score():
    """Higher is better: for the title and the body, weight × hits / (hits + k1 × length
    factor), hits being the instances of the words ``highlight()`` marks in that column."""
    parts = []
    for number, (column, weight) in enumerate((("title", TITLE_WEIGHT), ("body", BODY_WEIGHT))):
        text = f"{SQLITE_INDEX}.{column}"
        # highlight() puts one char(1) before each instance: the length grows by the hits.
        hits = f"(length(highlight({SQLITE_INDEX}, {number}, char(1), '')) - length({text}))"
        relative = f"length({text}) / {TYPICAL_CHARS[column]:.1f}"
        factor = f"{SATURATION} * ({1 - LENGTH_WEIGHT} + {LENGTH_WEIGHT} * {relative})"
        parts.append(f"{weight} * {hits} / ({hits} + {factor})")
    return literal_column(" + ".join(parts))


def candidates(dialect: str, terms: list[str], bound: int):
    """(the newest ``bound`` index rows holding every term, as a subquery with ``post_id``;
    the score of its rows, higher for better matches; a statement counting them)."""
    if dialect == "postgresql":
        query = func.plainto_tsquery(PG_CONFIG, fold_sql(" ".join(terms)))
        document, key = postgres_index.c.document, postgres_index.c.post_id
        holds = document.op("@@")(query)
    else:
        key = sqlite_index.c.rowid
        holds = literal_column(SQLITE_INDEX).op("MATCH")(fts5_query(terms))

    def newest(*columns):
        return select(key.label("post_id"), *columns).where(holds).order_by(key.desc())

    counted = select(func.count()).select_from(newest().limit(bound).subquery())
    if dialect == "postgresql":
        rows = newest(document).limit(bound).subquery("candidates")
        # Scored outside the LIMIT, so only the candidates are ever ranked.
        return rows, func.ts_rank(rows.c.document, query), counted
    # FTS5 computes highlight() only for the rows its newest-first walk returns, so the
    # score can sit inside the LIMIT (and, being an FTS5 function, only there).
    rows = newest(_sqlite_score().label("score")).limit(bound).subquery("candidates")
    return rows, rows.c.score, counted


def plan_for_these_words(connection) -> None:
    """On PostgreSQL, plan this search for its own words (for the rest of the transaction).

    psycopg prepares a statement after five runs, and PostgreSQL may then keep one generic
    plan for every word: the GIN bitmap over all matches, which for a common word reads them
    all. Planned per word, a common word walks the primary key backwards and stops early."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
