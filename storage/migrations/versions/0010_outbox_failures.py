"""outbox: when a row failed; attempts count real failures only

Until 0006 every claim added to `attempts`, so rows still waiting carry counts spent by waiting
(behind an earlier message, after a 429). They start again with a fresh budget.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

outbox = sa.table("outbox", sa.column("status", sa.String), sa.column("attempts", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        outbox.update().where(outbox.c.status.in_(["pending", "sending"])).values(attempts=0)
    )


def downgrade() -> None:
    # attempts stay as they are: under 0006 they only ever grow
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("failed_at")
