"""search index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00.000000

SQLite: an FTS5 virtual table ``search_index(title, body)`` whose rowid is the post id (FTS5
adds its shadow tables ``search_index_data``, ``_idx``, ``_docsize``, ``_config`` and
``_content``). PostgreSQL: ``search_documents(post_id, document tsvector)`` with a GIN index.
Neither is a model (see forum/search/schema.py). Posts already public are indexed here; after
that the session hooks in forum/search/index.py keep the index in step.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The opening post's row carries the thread title; replies index their body only.
PUBLIC_POSTS = """
    FROM posts JOIN threads ON threads.id = posts.thread_id
    WHERE posts.state = 'published' AND posts.deleted_at IS NULL
      AND threads.is_private = {false} AND threads.held = {false}
"""
TITLE = "CASE WHEN posts.path = '0000000' THEN threads.title ELSE '' END"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_table(
            "search_documents",
            sa.Column("post_id", sa.Integer(), nullable=False),
            sa.Column("document", postgresql.TSVECTOR(), nullable=False),
            sa.ForeignKeyConstraint(
                ["post_id"],
                ["posts.id"],
                name=op.f("fk_search_documents_post_id_posts"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("post_id", name=op.f("pk_search_documents")),
        )
        op.create_index(
            "ix_search_documents_document",
            "search_documents",
            ["document"],
            postgresql_using="gin",
        )
        op.execute(
            "INSERT INTO search_documents (post_id, document) SELECT posts.id, "
            f"setweight(to_tsvector('simple'::regconfig, {TITLE}), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, posts.body_source), 'B') "
            + PUBLIC_POSTS.format(false="false")
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            f"INSERT INTO search_index (rowid, title, body) SELECT posts.id, {TITLE}, "
            "posts.body_source " + PUBLIC_POSTS.format(false="0")
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_search_documents_document", table_name="search_documents")
        op.drop_table("search_documents")
    else:
        op.execute("DROP TABLE search_index")
