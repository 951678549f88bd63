"""update inbox: updates are stored before they are confirmed to Telegram

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("handled_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "update_inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_key", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("handled_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_update_inbox")),
    )
    op.create_index(
        "ix_update_inbox_open",
        "update_inbox",
        ["update_id"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index("ix_update_inbox_received_at", "update_inbox", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_update_inbox_received_at", table_name="update_inbox")
    op.drop_index("ix_update_inbox_open", table_name="update_inbox")
    op.drop_table("update_inbox")
