"""The search index tables, which live outside the models' metadata.

SQLite keeps an FTS5 virtual table ``search_index(title, body)`` whose rowid is the post id;
PostgreSQL keeps ``search_documents(post_id, document tsvector)`` with a GIN index. Neither is
a model: the migration creates the one that fits the database, and the schema comparison (and
Alembic's autogenerate) leave them out through ``is_search_table``.
"""

from sqlalchemy import column, table

SQLITE_INDEX = "search_index"
POSTGRES_INDEX = "search_documents"
# FTS5 keeps its data in shadow tables named after the virtual table.
FTS5_SHADOWS = ("data", "idx", "docsize", "config", "content")
SEARCH_TABLES = frozenset(
    {SQLITE_INDEX, POSTGRES_INDEX, *(f"{SQLITE_INDEX}_{shadow}" for shadow in FTS5_SHADOWS)}
)
# Title words weigh more than body words when ranking.
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0

sqlite_index = table(SQLITE_INDEX, column("rowid"), column("title"), column("body"))
postgres_index = table(POSTGRES_INDEX, column("post_id"), column("document"))


def is_search_table(name, type_, parent_names=None) -> bool:
    """Whether ``name`` is one of the search index tables (or an index on them)."""
    if type_ == "table":
        return name in SEARCH_TABLES
    return bool(parent_names) and parent_names.get("table_name") in SEARCH_TABLES


def include_name(name, type_, parent_names) -> bool:
    """Alembic ``include_name`` hook: compare everything but the search index tables."""
    return not is_search_table(name, type_, parent_names)
