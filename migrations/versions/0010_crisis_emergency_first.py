"""crisis resources: emergency entries come first, and which answer 24 hours a day

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

resources = sa.table(
    "crisis_resources",
    sa.column("name", sa.String),
    sa.column("how", sa.Text),
    sa.column("hours", sa.String),
    sa.column("region", sa.String),
    sa.column("is_emergency", sa.Boolean),
    sa.column("always_open", sa.Boolean),
)


def upgrade():
    with op.batch_alter_table("crisis_resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_emergency", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("always_open", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # The emergency entry `forum init` seeded from the shipped file (by its name, or by its
    # words should an admin have renamed it): it leads every region's helplines from now on.
    op.execute(
        resources.update()
        .where(
            sa.or_(
                sa.and_(resources.c.name == "Emergency services", resources.c.region == "INT"),
                resources.c.how.like("Call your local emergency number%"),
            )
        )
        .values(is_emergency=True, always_open=True)
    )
    # Entries whose hours say they never close ("24 hours", "24/7"), shipped or added.
    hours = sa.func.lower(sa.func.trim(resources.c.hours))
    op.execute(
        resources.update()
        .where(sa.or_(hours.like("24 hour%"), hours.like("24/7%")))
        .values(always_open=True)
    )


def downgrade():
    with op.batch_alter_table("crisis_resources", schema=None) as batch_op:
        batch_op.drop_column("always_open")
        batch_op.drop_column("is_emergency")
