"""submission keys: a form posted twice makes one post

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 00:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_posts_author_id_submission_key"), ["author_id", "submission_key"]
        )


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_posts_author_id_submission_key"), type_="unique")
        batch_op.drop_column("submission_key")
