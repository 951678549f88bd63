"""an invoice number (发票号码) is recorded once

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-29 06:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index("uq_invoices_number", ["number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index("uq_invoices_number")
