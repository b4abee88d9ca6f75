"""crisis resources have a language: readers see the entries in theirs first

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

resources = sa.table("crisis_resources", sa.column("language", sa.String))


def upgrade():
    with op.batch_alter_table("crisis_resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )
    # Every entry until now was written in English (the shipped list and admins' additions):
    # say so in so many words rather than leave it to the default.
    op.execute(resources.update().values(language="en"))


def downgrade():
    with op.batch_alter_table("crisis_resources", schema=None) as batch_op:
        batch_op.drop_column("language")
