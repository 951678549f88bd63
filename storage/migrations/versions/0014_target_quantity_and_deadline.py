"""monthly_targets: quantity, the rep's deadline to confirm, and the sweep's next nudge

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-28 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Targets set before this have no deadline: they are never nudged.
    with op.batch_alter_table("monthly_targets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quantity", storage.types.DecimalType(3), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("confirm_by", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_nudge_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_monthly_targets_next_nudge_at"), ["next_nudge_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("monthly_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monthly_targets_next_nudge_at"))
        batch_op.drop_column("next_nudge_at")
        batch_op.drop_column("confirm_by")
        batch_op.drop_column("quantity")
