"""member language: the language a member chose for pages, emails and digests

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-15 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
# The lead re-chains migrations at merge: this depends on nothing the others change.
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no default: every member follows their browser until they choose.
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of members would be
    # refused by the tables that reference it.
    op.drop_column("members", "language")
