"""handle skeletons: lookalike handles are refused

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 00:00:00

"""
import sqlalchemy as sa
from alembic import op

from forum.handles import skeleton

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

members = sa.table(
    "members",
    sa.column("id", sa.Integer),
    sa.column("handle", sa.String),
    sa.column("handle_key", sa.String),
    sa.column("handle_skeleton", sa.String),
)


def upgrade():
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handle_skeleton", sa.String(length=24), nullable=True))
    fill_skeletons(op.get_bind())
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_members_handle_skeleton"), ["handle_skeleton"]
        )


def fill_skeletons(connection) -> None:
    """Every member holds its handle's skeleton, except freed tombstones (their handle is
    free again) and lookalikes made before this rule: of those, the oldest account holds the
    skeleton and the others keep their handles without one."""
    rows = connection.execute(
        sa.select(members.c.id, members.c.handle)
        .where(members.c.handle_key.not_like("~deleted-%"))
        .order_by(members.c.id)
    )
    held = set()
    for member_id, handle in rows.all():
        shape = skeleton(handle)
        if shape in held:
            continue
        held.add(shape)
        connection.execute(
            members.update().where(members.c.id == member_id).values(handle_skeleton=shape)
        )


def downgrade():
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_members_handle_skeleton"), type_="unique")
        batch_op.drop_column("handle_skeleton")
