"""search without accents: "corazon" finds "corazón" on PostgreSQL too; the index is rebuilt

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 18:30:00

PostgreSQL: defines ``forum_fold(text)`` (``unaccent`` when the extension is there or this
role may create it, otherwise ``translate()`` over the accented Latin letters, with a warning
saying how to switch; see forum/search/folding.py), then rebuilds ``search_documents`` with
titles and bodies folded. SQLite: the FTS5 table already folds accents (``unicode61
remove_diacritics 2``); it is created again with that tokenizer, stated here, and refilled,
so a database whose index was built differently ends up the same.

Data step: every public post is indexed again (about 15 s for 1,000,000 posts on SQLite).
"""
from alembic import op

from forum.search.folding import define_fold

revision = "0014"
# The head of this branch; the lead re-chains migrations at merge.
down_revision = "0013"
branch_labels = None
depends_on = None

# The opening post's row carries the thread title; replies index their body only.
PUBLIC_POSTS = """
    FROM posts JOIN threads ON threads.id = posts.thread_id
    WHERE posts.state = 'published' AND posts.deleted_at IS NULL
      AND threads.is_private = {false} AND threads.held = {false}
"""
TITLE = "CASE WHEN posts.path = '0000000' THEN threads.title ELSE '' END"
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)


def _fill_postgres(fold: str) -> None:
    columns = (TITLE, "posts.body_source")
    title, body = (f"{fold}({column})" if fold else column for column in columns)
    # Filled without its GIN index, which is then built in one pass (much faster than
    # updating it row by row).
    op.execute("DROP INDEX ix_search_documents_document")
    op.execute("TRUNCATE search_documents")
    op.execute(
        "INSERT INTO search_documents (post_id, document) SELECT posts.id, "
        f"setweight(to_tsvector('simple'::regconfig, {title}), 'A') || "
        f"setweight(to_tsvector('simple'::regconfig, {body}), 'B') "
        + PUBLIC_POSTS.format(false="false")
    )
    op.execute("CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)")


def _rebuild_sqlite() -> None:
    op.execute("DROP TABLE search_index")
    op.execute(SQLITE_TABLE)
    op.execute(
        f"INSERT INTO search_index (rowid, title, body) SELECT posts.id, {TITLE}, "
        "posts.body_source " + PUBLIC_POSTS.format(false="0")
    )


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        define_fold(bind)
        _fill_postgres("forum_fold")
        op.execute("ANALYZE search_documents")
    else:
        _rebuild_sqlite()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        # The index as 0005 built it (accents kept); the unaccent extension stays installed.
        _fill_postgres("")
        op.execute("DROP FUNCTION IF EXISTS forum_fold(text)")
    else:
        _rebuild_sqlite()
