"""The monthly performance reviews: inserted once per rep and month, moved by compare-and-set."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.review import Grade, MonthFigures, NewReview, PerformanceReview
from storage.batches import batches, id_batches
from storage.tables import PerformanceReviewRow


def _review(row: PerformanceReviewRow) -> PerformanceReview:
    return PerformanceReview(
        id=row.id,
        rep_id=row.rep_id,
        month=row.month,
        manager_id=row.manager_id,
        figures=MonthFigures.from_params(row.figures),
        suggested=Grade(row.suggested),
        prepared_at=row.prepared_at,
        comment=row.comment,
        commented_at=row.commented_at,
        grade=Grade(row.grade) if row.grade else None,
        graded_by=row.graded_by,
        graded_at=row.graded_at,
        reason=row.reason,
        told_at=row.told_at,
    )


class SqlReviewRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_many(self, reviews: Sequence[NewReview], now: datetime) -> Sequence[int]:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        added: list[int] = []
        for batch in batches(reviews, 200):
            statement = (
                insert(PerformanceReviewRow)
                .values(
                    [
                        {
                            "rep_id": r.rep_id,
                            "month": r.month,
                            "manager_id": r.manager_id,
                            "figures": r.figures.params(),
                            "suggested": r.suggested.value,
                            "prepared_at": now,
                        }
                        for r in batch
                    ]
                )
                .on_conflict_do_nothing(index_elements=["rep_id", "month"])
                .returning(PerformanceReviewRow.rep_id)
            )
            added += (await self._session.scalars(statement)).all()
        return added

    async def of_month(self, rep_ids: Collection[int], month: date) -> Sequence[PerformanceReview]:
        found: list[PerformanceReview] = []
        for batch in id_batches(rep_ids):
            rows = await self._session.scalars(
                select(PerformanceReviewRow).where(
                    PerformanceReviewRow.rep_id.in_(batch), PerformanceReviewRow.month == month
                )
            )
            found += [_review(row) for row in rows]
        return found

    async def get(self, review_id: int) -> PerformanceReview | None:
        row = await self._session.get(PerformanceReviewRow, review_id, populate_existing=True)
        return _review(row) if row else None

    async def of_rep(self, rep_id: int, limit: int) -> Sequence[PerformanceReview]:
        rows = await self._session.scalars(
            select(PerformanceReviewRow)
            .where(PerformanceReviewRow.rep_id == rep_id)
            .order_by(PerformanceReviewRow.month.desc())
            .limit(limit)
        )
        return [_review(row) for row in rows]

    async def latest_month(self, rep_ids: Collection[int]) -> date | None:
        latest: date | None = None
        for batch in id_batches(rep_ids):
            found = await self._session.scalar(
                select(func.max(PerformanceReviewRow.month)).where(
                    PerformanceReviewRow.rep_id.in_(batch)
                )
            )
            if found is not None and (latest is None or found > latest):
                latest = found
        return latest

    async def claim_comment(
        self, review_id: int, *, rep_id: int, comment: str, now: datetime
    ) -> bool:
        result = await self._session.execute(
            update(PerformanceReviewRow)
            .where(
                PerformanceReviewRow.id == review_id,
                PerformanceReviewRow.rep_id == rep_id,
                PerformanceReviewRow.grade.is_(None),
            )
            .values(comment=comment, commented_at=now)
            .returning(PerformanceReviewRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def claim_grade(
        self, review_id: int, *, grade: Grade, by: int, reason: str | None, now: datetime
    ) -> bool:
        result = await self._session.execute(
            update(PerformanceReviewRow)
            .where(PerformanceReviewRow.id == review_id, PerformanceReviewRow.grade.is_(None))
            .values(grade=grade.value, graded_by=by, graded_at=now, reason=reason, told_at=now)
            .returning(PerformanceReviewRow.id)
        )
        return result.scalar_one_or_none() is not None
