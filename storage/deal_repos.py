"""Deals, stage by stage (bot/core/orders.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.orders import Deal, DealStage
from storage.tables import DealRow


def _deal(row: DealRow) -> Deal:
    return Deal(
        id=row.id,
        customer_id=row.customer_id,
        owner_id=row.owner_id,
        stage=DealStage(row.stage),
        opened_at=row.opened_at,
        stage_at=row.stage_at,
        request_id=row.request_id,
    )


class SqlDeals:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def open(
        self, *, customer_id: int, owner_id: int, request_id: int | None, now: datetime
    ) -> Deal:
        row = DealRow(
            customer_id=customer_id,
            owner_id=owner_id,
            request_id=request_id,
            stage=DealStage.negotiating.value,
            opened_at=now,
            stage_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _deal(row)

    async def for_customer(self, customer_id: int) -> Sequence[Deal]:
        rows = await self._session.scalars(
            select(DealRow).where(DealRow.customer_id == customer_id).order_by(DealRow.id)
        )
        return [_deal(row) for row in rows]

    async def taken_requests(self, request_ids: Collection[int]) -> set[int]:
        taken = await self._session.scalars(
            select(DealRow.request_id).where(DealRow.request_id.in_(list(request_ids)))
        )
        return {request_id for request_id in taken if request_id is not None}
