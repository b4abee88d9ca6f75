"""alias blocks: a block made from an anonymous post names that alias, never the account

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 15:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("blocks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alias_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_blocks_alias_id_thread_aliases"), "thread_aliases", ["alias_id"], ["id"]
        )
        batch_op.drop_constraint("uq_blocks_blocker_id_blocked_id", type_="unique")
        batch_op.create_index("ux_blocks_alias", ["blocker_id", "alias_id"], unique=True)
    # Blocks made from an anonymous post before this revision stored the alias's name in
    # shown_as: point them at that alias (the member's latest of that name), so they stop
    # collapsing the member's signed posts and other aliases.
    op.execute(
        """
        UPDATE blocks SET alias_id = (
            SELECT MAX(thread_aliases.id) FROM thread_aliases
            WHERE thread_aliases.member_id = blocks.blocked_id
              AND thread_aliases.name = blocks.shown_as
        )
        WHERE shown_as LIKE 'Anonymous %'
        """
    )
    op.create_index(
        "ux_blocks_member",
        "blocks",
        ["blocker_id", "blocked_id"],
        unique=True,
        sqlite_where=sa.text("alias_id IS NULL"),
        postgresql_where=sa.text("alias_id IS NULL"),
    )


def downgrade():
    op.drop_index("ux_blocks_member", table_name="blocks")
    op.execute("DELETE FROM blocks WHERE alias_id IS NOT NULL")
    with op.batch_alter_table("blocks", schema=None) as batch_op:
        batch_op.drop_index("ux_blocks_alias")
        batch_op.create_unique_constraint(
            "uq_blocks_blocker_id_blocked_id", ["blocker_id", "blocked_id"]
        )
        batch_op.drop_constraint(batch_op.f("fk_blocks_alias_id_thread_aliases"), type_="foreignkey")
        batch_op.drop_column("alias_id")
