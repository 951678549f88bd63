"""indexes for the deadline sweep and the digest

The sweep finds open steps whose deciding person disagrees with the delegations by who
approves and who acts on them, and the delegations covering now by when they end; without
these it read every open step each minute.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.create_index(
            "ix_approval_steps_open_approver", ["status", "approver_id", "acting_id"], unique=False
        )
        batch_op.create_index(
            "ix_approval_steps_open_acting", ["status", "acting_id"], unique=False
        )
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.create_index("ix_delegations_window", ["ends_at", "starts_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.drop_index("ix_delegations_window")
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_approval_steps_open_acting")
        batch_op.drop_index("ix_approval_steps_open_approver")
