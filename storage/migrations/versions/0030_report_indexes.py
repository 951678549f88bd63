"""/report: the indexes its grouped statements read by (a period's rows, and each contract's
instalments and payments without visiting the tables)

Revision ID: 0030
Revises: 0031
Create Date: 2026-11-29 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("visits", "ix_visits_day", ["visited_on", "rep_id", "customer_id", "kind", "intent"]),
    ("customers", "ix_customers_created_at", ["created_at"]),
    ("customers", "ix_customers_confirmed_at", ["confirmed_at"]),
    ("deals", "ix_deals_opened_at", ["opened_at"]),
    ("deposits", "ix_deposits_paid_on", ["paid_on"]),
    ("contracts", "ix_contracts_cosigned_at", ["cosigned_at"]),
    ("instalments", "ix_instalments_contract", ["contract_id", "due", "amount"]),
    ("payments", "ix_payments_contract_day", ["contract_id", "paid_on", "amount"]),
    ("weekly_plans", "ix_weekly_plans_week", ["week"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for table, name, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
