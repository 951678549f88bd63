"""commission: the reps' commission sheets (业务提成) with their lines, the payments by date,
and the monthly reconciliations of the ledger with each side's confirmation

One live sheet (not returned) per rep and month, by a partial unique index; a returned sheet
stays for the record. Payments get an index on paid_on: a month's payments are read at once.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-29 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("status != 'returned'")
MONEY = ("commission", "deduction", "payable", "unrecovered")


def _people(*names: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            [name], ["people.id"], name=op.f(f"fk_commission_sheets_{name}_people")
        )
        for name in names
    ]


def upgrade() -> None:
    op.create_table(
        "commission_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        *(sa.Column(n, storage.types.DecimalType(2), nullable=False) for n in MONEY),
        sa.Column("excluded", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("filed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("paid_by", sa.Integer(), nullable=True),
        sa.Column("paid_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("paid_reference", sa.String(length=64), nullable=True),
        sa.Column("returned_by", sa.Integer(), nullable=True),
        sa.Column("returned_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("return_reason", sa.String(length=300), nullable=True),
        *_people("rep_id", "filed_by", "paid_by", "returned_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_sheets")),
    )
    op.create_index(
        "uq_commission_sheets_live",
        "commission_sheets",
        ["rep_id", "month"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_index("ix_commission_sheets_status", "commission_sheets", ["status", "id"])
    op.create_index("ix_commission_sheets_month", "commission_sheets", ["month"])
    op.create_table(
        "commission_lines",
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("payment_ids", sa.JSON(), nullable=False),
        sa.Column("collected", storage.types.DecimalType(2), nullable=False),
        sa.Column("rate", storage.types.DecimalType(4), nullable=False),
        sa.Column("commission", storage.types.DecimalType(2), nullable=False),
        sa.Column("deduction", storage.types.DecimalType(2), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_commission_lines_contract_id_contracts"),
        ),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["commission_sheets.id"],
            name=op.f("fk_commission_lines_sheet_id_commission_sheets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sheet_id", "contract_id", name=op.f("pk_commission_lines")),
    )
    op.create_index("ix_payments_paid_on", "payments", ["paid_on"])
    _reconciliations()


def _reconciliations() -> None:
    op.create_table(
        "reconciliations",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("accrual", storage.types.DecimalType(2), nullable=True),
        sa.Column("accrued_total", storage.types.DecimalType(2), nullable=True),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_reconciliations")),
    )
    op.create_table(
        "reconciliation_confirmations",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_reconciliation_confirmations_person_id_people"),
        ),
        sa.PrimaryKeyConstraint("month", "role", name=op.f("pk_reconciliation_confirmations")),
    )


def downgrade() -> None:
    op.drop_table("reconciliation_confirmations")
    op.drop_table("reconciliations")
    op.drop_index("ix_payments_paid_on", table_name="payments")
    op.drop_table("commission_lines")
    op.drop_index("ix_commission_sheets_month", table_name="commission_sheets")
    op.drop_index("ix_commission_sheets_status", table_name="commission_sheets")
    op.drop_index("uq_commission_sheets_live", table_name="commission_sheets")
    op.drop_table("commission_sheets")
