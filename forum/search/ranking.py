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


COLUMNS = (("title", TITLE_WEIGHT), ("body", BODY_WEIGHT))


def _sqlite_counts() -> list:
    """Per column of the FTS5 row: its length and how many instances of the words it holds
    (``highlight()`` puts one char(1) before each, so the length grows by the hits)."""
    counts = []
    for number, (column, _) in enumerate(COLUMNS):
        text_of_column = f"{SQLITE_INDEX}.{column}"
        marked = f"length(highlight({SQLITE_INDEX}, {number}, char(1), ''))"
        counts.append(literal_column(f"length({text_of_column})").label(f"{column}_chars"))
        counts.append(
            literal_column(f"{marked} - length({text_of_column})").label(f"{column}_hits")
        )
    return counts


def _sqlite_score(rows):
    """Higher is better: for the title and the body, weight × hits / (hits + k1 × length
    factor), from the counts ``_sqlite_counts`` took inside the LIMIT."""
    score = None
    for column, weight in COLUMNS:
        hits, chars = rows.c[f"{column}_hits"], rows.c[f"{column}_chars"]
        factor = SATURATION * (1 - LENGTH_WEIGHT + LENGTH_WEIGHT * chars / TYPICAL_CHARS[column])
        part = weight * hits / (hits + factor)
        score = part if score is None else score + part
    return score


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
    # counts sit inside the LIMIT (and, highlight() being an FTS5 function, only there).
    rows = newest(*_sqlite_counts()).limit(bound).subquery("candidates")
    return rows, _sqlite_score(rows), counted


def plan_for_these_words(connection) -> None:
    """On PostgreSQL, plan this search for its own words (for the rest of the transaction).

    psycopg prepares a statement after five runs, and PostgreSQL may then keep one generic
    plan for every word: the GIN bitmap over all matches, which for a common word reads them
    all. Planned per word, a common word walks the primary key backwards and stops early."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
