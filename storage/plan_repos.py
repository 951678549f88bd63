from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.plans import MonthlyTarget, PlanItem, PlanStatus, WeeklyPlan
from storage.tables import PlanItemRow, PlanRow, TargetRow, WorkLogRow


def _item(row: PlanItemRow) -> PlanItem:
    return PlanItem(
        id=row.id,
        plan_id=row.plan_id,
        customer_id=row.customer_id,
        day=row.day,
        purpose=row.purpose,
    )


def _plan(row: PlanRow, items: list[PlanItem]) -> WeeklyPlan:
    return WeeklyPlan(
        id=row.id,
        rep_id=row.rep_id,
        week=row.week,
        status=PlanStatus(row.status),
        goals=row.goals,
        submitted_at=row.submitted_at,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        comment=row.comment,
        last_submitted=row.last_submitted,
        items=items,
    )


class SqlPlanRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _items(self, plan_id: int) -> list[PlanItem]:
        rows = await self._session.scalars(
            select(PlanItemRow)
            .where(PlanItemRow.plan_id == plan_id)
            .order_by(PlanItemRow.day, PlanItemRow.id)
        )
        return [_item(row) for row in rows]

    async def get(self, plan_id: int) -> WeeklyPlan | None:
        row = await self._session.get(PlanRow, plan_id, populate_existing=True)
        return _plan(row, await self._items(row.id)) if row else None

    async def for_week(self, rep_id: int, week: date) -> WeeklyPlan | None:
        row = await self._session.scalar(
            select(PlanRow).where(PlanRow.rep_id == rep_id, PlanRow.week == week)
        )
        return _plan(row, await self._items(row.id)) if row else None

    async def of_reps(self, rep_ids: Collection[int], week: date) -> Sequence[WeeklyPlan]:
        rows = await self._session.scalars(
            select(PlanRow).where(PlanRow.rep_id.in_(list(rep_ids)), PlanRow.week == week)
        )
        return [_plan(row, await self._items(row.id)) for row in rows]

    async def add(self, rep_id: int, week: date) -> WeeklyPlan:
        row = PlanRow(rep_id=rep_id, week=week, status=PlanStatus.draft.value)
        self._session.add(row)
        await self._session.flush()
        return _plan(row, [])

    async def save(self, plan: WeeklyPlan) -> None:
        await self._session.execute(
            update(PlanRow)
            .where(PlanRow.id == plan.id)
            .values(
                status=plan.status.value,
                goals=plan.goals,
                submitted_at=plan.submitted_at,
                reviewed_by=plan.reviewed_by,
                reviewed_at=plan.reviewed_at,
                comment=plan.comment,
                last_submitted=plan.last_submitted,
            )
        )

    async def add_item(
        self, plan_id: int, *, customer_id: int, day: date, purpose: str
    ) -> PlanItem:
        row = PlanItemRow(plan_id=plan_id, customer_id=customer_id, day=day, purpose=purpose)
        self._session.add(row)
        await self._session.flush()
        return _item(row)

    async def remove_item(self, plan_id: int, item_id: int) -> None:
        await self._session.execute(
            delete(PlanItemRow).where(PlanItemRow.plan_id == plan_id, PlanItemRow.id == item_id)
        )


def _target(row: TargetRow) -> MonthlyTarget:
    return MonthlyTarget(
        id=row.id,
        rep_id=row.rep_id,
        month=row.month,
        sales=row.sales,
        collection=row.collection,
        set_by=row.set_by,
        set_at=row.set_at,
        confirmed_at=row.confirmed_at,
    )


class SqlTargetRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, rep_id: int, month: date) -> MonthlyTarget | None:
        row = await self._session.scalar(
            select(TargetRow).where(TargetRow.rep_id == rep_id, TargetRow.month == month)
        )
        return _target(row) if row else None

    async def by_id(self, target_id: int) -> MonthlyTarget | None:
        row = await self._session.get(TargetRow, target_id, populate_existing=True)
        return _target(row) if row else None

    async def set(
        self,
        *,
        rep_id: int,
        month: date,
        sales: Decimal,
        collection: Decimal,
        set_by: int,
        now: datetime,
    ) -> MonthlyTarget:
        """A new figure replaces the old one and needs the rep's confirmation again."""
        existing = await self._session.scalar(
            select(TargetRow).where(TargetRow.rep_id == rep_id, TargetRow.month == month)
        )
        if existing is None:
            existing = TargetRow(rep_id=rep_id, month=month)
            self._session.add(existing)
        existing.sales, existing.collection = sales, collection
        existing.set_by, existing.set_at, existing.confirmed_at = set_by, now, None
        await self._session.flush()
        return _target(existing)

    async def confirm(self, target_id: int, now: datetime) -> bool:
        result = await self._session.execute(
            update(TargetRow)
            .where(TargetRow.id == target_id, TargetRow.confirmed_at.is_(None))
            .values(confirmed_at=now)
            .returning(TargetRow.id)
        )
        return result.scalar_one_or_none() is not None


class SqlWorkLogRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def note(self, rep_id: int, day: date) -> str | None:
        return await self._session.scalar(
            select(WorkLogRow.note).where(WorkLogRow.rep_id == rep_id, WorkLogRow.day == day)
        )

    async def set_note(self, rep_id: int, day: date, note: str, now: datetime) -> None:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(WorkLogRow).values(rep_id=rep_id, day=day, note=note, updated_at=now)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["rep_id", "day"], set_={"note": note, "updated_at": now}
            )
        )
