"""the monthly performance review: one per rep and month, with its grade

Revision ID: 0032
Revises: 0030
Create Date: 2026-11-29 08:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0032"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "performance_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("suggested", sa.String(length=16), nullable=False),
        sa.Column("prepared_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=True),
        sa.Column("commented_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("graded_by", sa.Integer(), nullable=True),
        sa.Column("graded_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("told_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["graded_by"], ["people.id"], name=op.f("fk_performance_reviews_graded_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["people.id"], name=op.f("fk_performance_reviews_manager_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["rep_id"], ["people.id"], name=op.f("fk_performance_reviews_rep_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_reviews")),
        sa.UniqueConstraint("rep_id", "month", name=op.f("uq_performance_reviews_rep_id")),
    )


def downgrade() -> None:
    op.drop_table("performance_reviews")
