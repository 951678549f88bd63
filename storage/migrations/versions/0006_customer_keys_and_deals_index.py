"""customer name keys backfilled; deals indexed by customer

Customers added from inside the deal form before 0006 were stored without a company key, so the
duplicate check and the key-based search could not see them. The key is computed by the same
rule the bot uses today. The customer card lists a customer's deals, whoever requested them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.core.customer_rules import company_key

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

customers = sa.table(
    "customers",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_approval_requests_customer_id"), ["customer_id"], unique=False
        )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(customers.c.id, customers.c.name).where(customers.c.name_key == "")
    )
    for customer_id, name in rows.all():
        bind.execute(
            customers.update()
            .where(customers.c.id == customer_id)
            .values(name_key=company_key(name))
        )


def downgrade() -> None:
    # the keys stay: they are correct under 0005 too
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_requests_customer_id"))
