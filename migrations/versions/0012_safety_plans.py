"""safety plans: a member's personal safety plan, in a table of its own

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-12 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
# The head of this branch. When merged after the branches that add 0010 and 0011, this
# becomes "0011" (the table depends on nothing they change).
down_revision = "0010"
branch_labels = None
depends_on = None

SECTIONS = (
    "warning_signs",
    "coping",
    "distractions",
    "helpers",
    "professionals",
    "safer_surroundings",
    "reasons_for_living",
)


def upgrade():
    op.create_table(
        "safety_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.JSON(), nullable=False) for name in SECTIONS),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("review_every_days", sa.Integer(), nullable=True),
        sa.Column("remind_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_safety_plans_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plans")),
        sa.UniqueConstraint("member_id", name=op.f("uq_safety_plans_member_id")),
    )
    with op.batch_alter_table("safety_plans", schema=None) as batch_op:
        batch_op.create_index("ix_safety_plans_remind_at", ["remind_at"], unique=False)


def downgrade():
    with op.batch_alter_table("safety_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_safety_plans_remind_at")
    op.drop_table("safety_plans")
