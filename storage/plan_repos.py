from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    delete,
    func,
    null,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contracts import ContractStatus
from bot.core.plans import MonthlyTarget, PlanItem, PlanStatus, WeeklyPlan
from bot.core.targets import Actuals, MonthSpan, Sale, TargetNudgeClaim
from storage.batches import batches, id_batches
from storage.tables import (
    ContractLineRow,
    ContractRow,
    MeetingTopicRow,
    PlanItemRow,
    PlanRow,
    TargetRow,
    VisitRow,
    WorkLogRow,
)
from storage.types import DecimalType


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
        """Two statements a batch of reps, whatever the number of plans: the plans, then
        every item of them."""
        found: list[WeeklyPlan] = []
        for batch in id_batches(rep_ids):
            rows = list(
                await self._session.scalars(
                    select(PlanRow).where(PlanRow.rep_id.in_(batch), PlanRow.week == week)
                )
            )
            items: dict[int, list[PlanItem]] = {row.id: [] for row in rows}
            if rows:
                for item in await self._session.scalars(
                    select(PlanItemRow)
                    .where(PlanItemRow.plan_id.in_(list(items)))
                    .order_by(PlanItemRow.day, PlanItemRow.id)
                ):
                    items[item.plan_id].append(_item(item))
            found += [_plan(row, items[row.id]) for row in rows]
        return found

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
        quantity=row.quantity,
        collection=row.collection,
        set_by=row.set_by,
        set_at=row.set_at,
        confirmed_at=row.confirmed_at,
        confirm_by=row.confirm_by,
        next_nudge_at=row.next_nudge_at,
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

    async def assign(self, target: MonthlyTarget) -> MonthlyTarget:
        existing = await self._session.scalar(
            select(TargetRow).where(
                TargetRow.rep_id == target.rep_id, TargetRow.month == target.month
            )
        )
        if existing is None:
            existing = TargetRow(rep_id=target.rep_id, month=target.month)
            self._session.add(existing)
        existing.sales, existing.quantity = target.sales, target.quantity
        existing.collection = target.collection
        existing.set_by, existing.set_at, existing.confirmed_at = target.set_by, target.set_at, None
        existing.confirm_by, existing.next_nudge_at = target.confirm_by, target.next_nudge_at
        await self._session.flush()
        return _target(existing)

    async def confirm(self, target_id: int, now: datetime) -> bool:
        result = await self._session.execute(
            update(TargetRow)
            .where(TargetRow.id == target_id, TargetRow.confirmed_at.is_(None))
            .values(confirmed_at=now, next_nudge_at=None)
            .returning(TargetRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def of_reps(
        self, rep_ids: Collection[int], months: Collection[date]
    ) -> Sequence[MonthlyTarget]:
        found: list[MonthlyTarget] = []
        for batch in id_batches(rep_ids):
            rows = await self._session.scalars(
                select(TargetRow).where(
                    TargetRow.rep_id.in_(batch), TargetRow.month.in_(list(months))
                )
            )
            found += [_target(row) for row in rows]
        return found

    async def actuals(self, rep_ids: Collection[int], span: MonthSpan) -> Actuals:
        """One statement for the whole team: each rep's visit count, and one row per line of
        the contracts co-signed in the month (amount and discount stay exact decimals; the net
        is worked out in the core, as the contract's card does)."""
        visits: dict[int, int] = {}
        sales: list[Sale] = []
        for batch in id_batches(rep_ids):
            rows = await self._session.execute(_actuals(batch, span))
            for rep_id, count, quantity, price, discount in rows:
                if count is not None:
                    visits[rep_id] = count
                else:  # a missing discount as 0 %: the line is rounded to the cent once
                    amount = _dec(quantity) * _dec(price)
                    sales.append(Sale(rep_id, _dec(quantity), amount, _opt_dec(discount or 0)))
        return Actuals(visits, sales)

    async def due_for_nudge(self, now: datetime) -> Sequence[MonthlyTarget]:
        rows = await self._session.scalars(
            select(TargetRow)
            .where(TargetRow.next_nudge_at <= now, TargetRow.confirmed_at.is_(None))
            .order_by(TargetRow.next_nudge_at)
        )
        return [_target(row) for row in rows]

    async def claim_nudges(self, claims: Sequence[TargetNudgeClaim]) -> set[int]:
        """One UPDATE per next nudge time (a sweep's claims share a few: its own moment, and
        the deadlines of the targets reminded); each target only where its nudge time is
        still the one the sweep read and it is still unconfirmed."""
        outcomes: dict[datetime | None, list[TargetNudgeClaim]] = {}
        for claim in claims:
            outcomes.setdefault(claim.next_nudge_at, []).append(claim)
        claimed: set[int] = set()
        for next_at, group in outcomes.items():
            for batch in batches(group):
                result = await self._session.execute(
                    update(TargetRow)
                    .where(
                        TargetRow.id.in_([c.target_id for c in batch]),
                        tuple_(TargetRow.id, TargetRow.next_nudge_at).in_(
                            [(c.target_id, c.seen_nudge_at) for c in batch]
                        ),
                        TargetRow.confirmed_at.is_(None),
                    )
                    .values(next_nudge_at=next_at)
                    .returning(TargetRow.id)
                    .execution_options(synchronize_session=False)
                )
                claimed |= set(result.scalars())
        return claimed


def _actuals(rep_ids: Sequence[int], span: MonthSpan) -> CompoundSelect[Any]:
    """Visit counts (`count` set) and the lines of the contracts finance co-signed in the
    month (`count` NULL) as one UNION ALL."""
    decimal = DecimalType(3)
    visits = (
        select(
            VisitRow.rep_id,
            func.count().label("count"),
            null().cast(decimal),
            null().cast(decimal),
            null().cast(decimal),
        )
        .where(
            VisitRow.rep_id.in_(rep_ids),
            VisitRow.visited_on.between(span.first_day, span.last_day),
        )
        .group_by(VisitRow.rep_id)
    )
    # quantity and unit price as stored (exact text on SQLite): multiplied in Python, and the
    # net worked out in the core as `ContractLine.amount_of` does
    signed = (
        select(
            ContractRow.owner_id,
            null().cast(Integer),
            ContractLineRow.quantity,
            ContractLineRow.unit_price,
            ContractLineRow.discount,
        )
        .join(ContractLineRow, ContractLineRow.contract_id == ContractRow.id)
        .where(
            ContractRow.owner_id.in_(rep_ids),
            ContractRow.status.in_([ContractStatus.in_force.value, ContractStatus.closed.value]),
            ContractRow.cosigned_at >= span.starts_at,
            ContractRow.cosigned_at < span.ends_at,
        )
    )
    return union_all(visits, signed)


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _opt_dec(value: object) -> Decimal | None:
    return None if value is None else _dec(value)


class SqlMeetingTopics:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, manager_id: int, week: date) -> str | None:
        return await self._session.scalar(
            select(MeetingTopicRow.topic).where(
                MeetingTopicRow.manager_id == manager_id, MeetingTopicRow.week == week
            )
        )

    async def of_week(self, week: date) -> dict[int, str]:
        rows = await self._session.execute(
            select(MeetingTopicRow.manager_id, MeetingTopicRow.topic).where(
                MeetingTopicRow.week == week
            )
        )
        return {int(manager_id): str(topic) for manager_id, topic in rows.all()}

    async def set(self, manager_id: int, week: date, topic: str | None, now: datetime) -> None:
        if topic is None:
            await self._session.execute(
                delete(MeetingTopicRow).where(
                    MeetingTopicRow.manager_id == manager_id, MeetingTopicRow.week == week
                )
            )
            return
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(MeetingTopicRow).values(
            manager_id=manager_id, week=week, topic=topic, set_at=now
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["manager_id", "week"], set_={"topic": topic, "set_at": now}
            )
        )


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

    async def notes_between(
        self, rep_ids: Collection[int], first: date, last: date
    ) -> Sequence[tuple[int, date, str]]:
        found: list[tuple[int, date, str]] = []
        for batch in id_batches(rep_ids):
            rows = await self._session.execute(
                select(WorkLogRow.rep_id, WorkLogRow.day, WorkLogRow.note)
                .where(WorkLogRow.rep_id.in_(batch), WorkLogRow.day.between(first, last))
                .order_by(WorkLogRow.rep_id, WorkLogRow.day)
            )
            found += [(rep, day, note) for rep, day, note in rows]
        return found
