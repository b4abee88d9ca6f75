"""latest threads: an index for the board index's list of the latest threads of every board

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 18:30:00

"""
from alembic import op

revision = "0013"
# The lead re-chains migrations at merge: this one depends on nothing the others change.
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.create_index("ix_threads_latest", ["last_activity_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_index("ix_threads_latest")
