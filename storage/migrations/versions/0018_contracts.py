"""contracts: the contract ledger (合同台帐) — contracts with their lines and instalments, the
number counter, payments, delivery notes with their lines, and work orders

Contract numbers are unique and given from one counter row per series (contract_numbers),
taken by an upsert, so two approvals at once never get one number.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 01:36:55
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_numbers",
        sa.Column("series", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", name=op.f("pk_contract_numbers")),
    )
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("deposit", storage.types.DecimalType(2), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cosigned_by", sa.Integer(), nullable=True),
        sa.Column("cosigned_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("production_signed_by", sa.Integer(), nullable=True),
        sa.Column("production_signed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("goods_ready_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cosigned_by"], ["people.id"], name=op.f("fk_contracts_cosigned_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_contracts_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name=op.f("fk_contracts_deal_id_deals")),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["people.id"], name=op.f("fk_contracts_filed_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_contracts_owner_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["production_signed_by"],
            ["people.id"],
            name=op.f("fk_contracts_production_signed_by_people"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["approval_requests.id"],
            name=op.f("fk_contracts_request_id_approval_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["people.id"], name=op.f("fk_contracts_signed_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("number", name=op.f("uq_contracts_number")),
        sa.UniqueConstraint("request_id", name=op.f("uq_contracts_request_id")),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index("ix_contracts_customer", ["customer_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index("ix_contracts_owner", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_contracts_status", ["status", "id"], unique=False)

    op.create_table(
        "contract_lines",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("quantity", storage.types.DecimalType(3), nullable=False),
        sa.Column("unit_price", storage.types.DecimalType(2), nullable=False),
        sa.Column("discount", storage.types.DecimalType(2), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_lines_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contract_id", "position", name=op.f("pk_contract_lines")),
    )
    op.create_table(
        "delivery_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("filed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("shipped_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signed_copy", sa.String(length=255), nullable=True),
        sa.Column("copy_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("booked_by", sa.Integer(), nullable=True),
        sa.Column("booked_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booked_by"], ["people.id"], name=op.f("fk_delivery_notes_booked_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_delivery_notes_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["people.id"], name=op.f("fk_delivery_notes_filed_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["people.id"], name=op.f("fk_delivery_notes_signed_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_notes")),
        sa.UniqueConstraint("contract_id", "seq", name=op.f("uq_delivery_notes_contract_id")),
    )
    op.create_table(
        "instalments",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("amount", storage.types.DecimalType(2), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_instalments_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contract_id", "position", name=op.f("pk_instalments")),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("amount", storage.types.DecimalType(2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_payments_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["people.id"], name=op.f("fk_payments_recorded_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_contract_id"), ["contract_id"], unique=False)

    op.create_table(
        "work_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("filed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acceptance", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["people.id"], name=op.f("fk_work_orders_assignee_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_work_orders_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["people.id"], name=op.f("fk_work_orders_filed_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["people.id"], name=op.f("fk_work_orders_signed_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_orders_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_orders_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "delivery_lines",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("quantity", storage.types.DecimalType(3), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["delivery_notes.id"],
            name=op.f("fk_delivery_lines_note_id_delivery_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", "position", name=op.f("pk_delivery_lines")),
    )


def downgrade() -> None:
    op.drop_table("delivery_lines")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_orders_contract_id"))
        batch_op.drop_index(batch_op.f("ix_work_orders_assignee_id"))

    op.drop_table("work_orders")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_contract_id"))

    op.drop_table("payments")
    op.drop_table("instalments")
    op.drop_table("delivery_notes")
    op.drop_table("contract_lines")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index("ix_contracts_status")
        batch_op.drop_index("ix_contracts_owner")
        batch_op.drop_index(batch_op.f("ix_contracts_deal_id"))
        batch_op.drop_index("ix_contracts_customer")

    op.drop_table("contracts")
    op.drop_table("contract_numbers")
