"""The customer pool (公海): the sweep's candidates and the compare-and-set moves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.customer_rules import customer_search
from bot.core.customers import Customer, CustomerStatus
from bot.core.pool import CLAIMED, POOLABLE
from storage.batches import id_batches
from storage.customer_repos import OWNED, contains, customer_of, search_matches
from storage.tables import CustomerEventRow, CustomerRow

_POOLABLE = [status.value for status in POOLABLE]
_OPEN = [CustomerStatus.prospect.value, CustomerStatus.qualified.value, CustomerStatus.won.value]
POOLED = CustomerRow.pooled_at.is_not(None)


def _idle(last_day: date, taken_before: datetime) -> list[ColumnElement[bool]]:
    """Owned, poolable, taken before the bound and not visited after `last_day`: the one
    condition both the sweep's read and its move test, so a visit in between wins."""
    return [
        CustomerRow.status.in_(_POOLABLE),
        OWNED,
        CustomerRow.taken_at < taken_before,
        or_(CustomerRow.last_visit_on.is_(None), CustomerRow.last_visit_on <= last_day),
    ]


class SqlCustomerPool:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def idle(self, last_day: date, taken_before: datetime) -> Sequence[Customer]:
        rows = await self._session.scalars(
            select(CustomerRow)
            .where(*_idle(last_day, taken_before))
            .order_by(CustomerRow.owner_id, CustomerRow.id)
        )
        return [customer_of(row) for row in rows]

    async def claim_warnings(self, return_days: Mapping[int, date]) -> set[int]:
        by_day: dict[date, list[int]] = defaultdict(list)
        for customer_id, day in return_days.items():
            by_day[day].append(customer_id)
        claimed: set[int] = set()
        for day, ids in sorted(by_day.items()):  # as many statements as return days, ≤ a few
            for batch in id_batches(ids):
                result = await self._session.execute(
                    update(CustomerRow)
                    .where(
                        CustomerRow.id.in_(batch),
                        OWNED,
                        or_(
                            CustomerRow.pool_warned_for.is_(None),
                            CustomerRow.pool_warned_for < day,
                        ),
                    )
                    .values(pool_warned_for=day)
                    .returning(CustomerRow.id)
                )
                claimed |= set(result.scalars())
        return claimed

    async def to_pool(
        self,
        customer_ids: Collection[int],
        last_day: date,
        taken_before: datetime,
        now: datetime,
        *,
        warned_by: date | None,
    ) -> set[int]:
        conditions = _idle(last_day, taken_before)
        if warned_by is not None:
            conditions.append(CustomerRow.pool_warned_for <= warned_by)
        pooled: set[int] = set()
        for batch in id_batches(customer_ids):
            result = await self._session.execute(
                update(CustomerRow)
                .where(CustomerRow.id.in_(batch), *conditions)
                .values(pooled_at=now)
                .returning(CustomerRow.id)
            )
            pooled |= set(result.scalars())
        return pooled

    async def listed(
        self, query: str | None, offset: int, limit: int
    ) -> tuple[Sequence[Customer], int]:
        matches: list[ColumnElement[bool]] = [POOLED]
        if query:
            region = func.lower(CustomerRow.region).like(contains(query.lower()), escape="\\")
            matches.append(or_(search_matches(customer_search(query)), region))
        total = await self._session.scalar(
            select(func.count()).select_from(CustomerRow).where(*matches)
        )
        rows = await self._session.scalars(
            select(CustomerRow)
            .where(*matches)
            .order_by(CustomerRow.pooled_at.desc(), CustomerRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [customer_of(row) for row in rows], int(total or 0)

    async def take(
        self, customer_id: int, owner_id: int, now: datetime, *, from_pool: bool
    ) -> bool:
        result = await self._session.execute(
            update(CustomerRow)
            .where(CustomerRow.id == customer_id, POOLED if from_pool else OWNED)
            .values(owner_id=owner_id, taken_at=now, pooled_at=None, pool_warned_for=None)
            .returning(CustomerRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def open_count(self, owner_id: int) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(CustomerRow)
            .where(CustomerRow.owner_id == owner_id, OWNED, CustomerRow.status.in_(_OPEN))
        )
        return int(count or 0)

    async def claims_since(self, actor_id: int, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(CustomerEventRow)
            .where(
                CustomerEventRow.actor_id == actor_id,
                CustomerEventRow.action == CLAIMED,
                CustomerEventRow.at >= since,
            )
        )
        return int(count or 0)
