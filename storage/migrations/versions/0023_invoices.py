"""invoices: asked on a contract, signed through the approval engine, issued with a number

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("amount", storage.types.DecimalType(2), nullable=False),
        sa.Column("collected", storage.types.DecimalType(2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=False),
        sa.Column("asked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("issued_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_invoices_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by"], ["people.id"], name=op.f("fk_invoices_asked_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["people.id"], name=op.f("fk_invoices_issued_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["approval_requests.id"],
            name=op.f("fk_invoices_request_id_approval_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("request_id", name=op.f("uq_invoices_request_id")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index("ix_invoices_status", ["status", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_invoices_status")
        batch_op.drop_index(batch_op.f("ix_invoices_contract_id"))
    op.drop_table("invoices")
