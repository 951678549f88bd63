"""customers.service_id: the customer service person a customer was handed to

From the handover on, that person reads the customer's card and finds it under "Handed to me".
Customers handed over before 0015 have no recorded recipient (the handover event did not name
one), so they stay unassigned until handed over again.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_customers_service_id"), ["service_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_customers_service_id_people"), "people", ["service_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_customers_service_id_people"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_customers_service_id"))
        batch_op.drop_column("service_id")
