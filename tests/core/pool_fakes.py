"""An in-memory fake of the customer pool's port over `routine_fakes`'s customers and events,
following storage/pool_repos.py: the same conditions, compare-and-set moves, orderings."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.core.customers import Customer, CustomerEvent, CustomerStatus
from bot.core.pool import CLAIMED, POOLABLE

OPEN = (CustomerStatus.prospect, CustomerStatus.qualified, CustomerStatus.won)


def _taken(customer: Customer) -> datetime:
    return customer.taken_at or customer.created_at


class FakeCustomerPool:
    def __init__(self) -> None:
        self.customers: Callable[[], dict[int, Customer]] = dict
        self.events: Callable[[], list[CustomerEvent]] = list

    def _idle(self, c: Customer, last_day: date, taken_before: datetime) -> bool:
        return (
            c.status in POOLABLE
            and c.pooled_at is None
            and _taken(c) < taken_before
            and (c.last_visit_on is None or c.last_visit_on <= last_day)
        )

    def _set(self, customer_id: int, **changes: Any) -> None:
        rows = self.customers()
        rows[customer_id] = replace(rows[customer_id], **changes)

    async def idle(self, last_day: date, taken_before: datetime) -> Sequence[Customer]:
        found = [c for c in self.customers().values() if self._idle(c, last_day, taken_before)]
        return [replace(c) for c in sorted(found, key=lambda c: (c.owner_id, c.id))]

    async def claim_warnings(self, return_days: Mapping[int, date]) -> set[int]:
        claimed = set()
        for customer_id, day in return_days.items():
            c = self.customers().get(customer_id)
            if c and c.pooled_at is None and (c.pool_warned_for is None or c.pool_warned_for < day):
                self._set(customer_id, pool_warned_for=day)
                claimed.add(customer_id)
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
        rows = self.customers()
        moved = {
            i
            for i in customer_ids
            if i in rows
            and self._idle(rows[i], last_day, taken_before)
            and (warned_by is None or (rows[i].pool_warned_for or date.max) <= warned_by)
        }
        for customer_id in moved:
            self._set(customer_id, pooled_at=now)
        return moved

    async def listed(
        self, query: str | None, offset: int, limit: int
    ) -> tuple[Sequence[Customer], int]:
        found = [
            c
            for c in self.customers().values()
            if c.pooled_at is not None
            and (not query or query.lower() in f"{c.name} {c.region or ''}".lower())
        ]
        found.sort(key=lambda c: (c.pooled_at, c.id), reverse=True)
        return [replace(c) for c in found[offset : offset + limit]], len(found)

    async def take(
        self, customer_id: int, owner_id: int, now: datetime, *, from_pool: bool
    ) -> bool:
        c = self.customers().get(customer_id)
        if c is None or (c.pooled_at is not None) != from_pool:
            return False
        self._set(
            customer_id, owner_id=owner_id, taken_at=now, pooled_at=None, pool_warned_for=None
        )
        return True

    async def open_count(self, owner_id: int) -> int:
        return sum(
            1
            for c in self.customers().values()
            if c.owner_id == owner_id and c.pooled_at is None and c.status in OPEN
        )

    async def claims_since(self, actor_id: int, since: datetime) -> int:
        return sum(
            1
            for e in self.events()
            if e.actor_id == actor_id and e.action == CLAIMED and e.at >= since
        )
