"""delivery queues: indexes for the production and delivery-note queues

The production notices to sign, the goods to mark ready and the contracts to deliver are read
by status and production dates; the notes waiting to be signed, shipped, given their copy or
booked, by status. Both grow with the ledger, so both are indexed.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_contracts_production",
        "contracts",
        ["status", "goods_ready_at", "production_signed_at"],
    )
    op.create_index("ix_delivery_notes_status", "delivery_notes", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_delivery_notes_status", table_name="delivery_notes")
    op.drop_index("ix_contracts_production", table_name="contracts")
