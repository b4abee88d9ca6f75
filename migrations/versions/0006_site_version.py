"""site version for the lurkers' page cache

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 07:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "site_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_version")),
    )
    op.execute("INSERT INTO site_version (id, version) VALUES (1, 0)")


def downgrade():
    op.drop_table("site_version")
