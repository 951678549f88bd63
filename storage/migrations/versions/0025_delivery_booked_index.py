"""delivery notes by the day finance booked them, for a month's reconciliation

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-29 05:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_notes", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_notes_booked_at", ["booked_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delivery_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_notes_booked_at")
