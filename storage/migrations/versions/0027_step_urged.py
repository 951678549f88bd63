"""step urged: the requester's last 催办 (urge) on an approval step

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urged_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("approval_steps", schema=None) as batch_op:
        batch_op.drop_column("urged_at")
