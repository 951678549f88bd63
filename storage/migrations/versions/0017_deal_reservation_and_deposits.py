"""deals: the signed reservation (签预定书) on the deal, and its deposit (定金) with the receipt

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 01:32:40.104183
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "deposits",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("amount", storage.types.DecimalType(2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("receipt_no", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name=op.f("fk_deposits_deal_id_deals")),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["people.id"], name=op.f("fk_deposits_recorded_by_people")
        ),
        sa.PrimaryKeyConstraint("deal_id", name=op.f("pk_deposits")),
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reserved_amount", storage.types.DecimalType(2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("expected_deposit", storage.types.DecimalType(2), nullable=True)
        )
        batch_op.add_column(sa.Column("signed_page", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("page_is_photo", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("reserved_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_deals_stage"), ["stage"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deals_stage"))
        batch_op.drop_column("reserved_at")
        batch_op.drop_column("page_is_photo")
        batch_op.drop_column("signed_page")
        batch_op.drop_column("expected_deposit")
        batch_op.drop_column("reserved_amount")

    op.drop_table("deposits")
