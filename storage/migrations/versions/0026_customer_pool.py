"""customer pool: when the owner took a customer, when it went to the pool, the warning sent

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-29 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taken_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("pooled_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("pool_warned_for", sa.Date(), nullable=True))
    op.execute("UPDATE customers SET taken_at = created_at")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.alter_column("taken_at", existing_type=UTCDateTime(timezone=True), nullable=False)
        batch_op.create_index("ix_customers_pooled_at", ["pooled_at"], unique=False)
        batch_op.create_index("ix_customers_idle", ["status", "pooled_at", "taken_at"])
    with op.batch_alter_table("customer_events", schema=None) as batch_op:
        batch_op.create_index("ix_customer_events_actor", ["actor_id", "action", "at"])


def downgrade() -> None:
    with op.batch_alter_table("customer_events", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_events_actor")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index("ix_customers_idle")
        batch_op.drop_index("ix_customers_pooled_at")
        batch_op.drop_column("pool_warned_for")
        batch_op.drop_column("pooled_at")
        batch_op.drop_column("taken_at")
