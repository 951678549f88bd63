"""Deals, stage by stage (bot/core/orders.py), with the reservation and the deposit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.orders import Deal, DealStage, Deposit, PaymentMethod, Reservation
from storage.batches import id_batches
from storage.tables import DealRow, DepositRow


def _reservation(row: DealRow) -> Reservation | None:
    if row.reserved_at is None or row.reserved_amount is None:
        return None
    return Reservation(
        amount=row.reserved_amount,
        expected_deposit=row.expected_deposit if row.expected_deposit is not None else Decimal(0),
        signed_page=row.signed_page or "",
        page_is_photo=bool(row.page_is_photo),
        at=row.reserved_at,
    )


def _deposit(row: DepositRow | None) -> Deposit | None:
    if row is None:
        return None
    return Deposit(
        amount=row.amount,
        paid_on=row.paid_on,
        method=PaymentMethod(row.method),
        receipt_no=row.receipt_no,
        reference=row.reference,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def _deal(row: DealRow, deposit: DepositRow | None = None) -> Deal:
    return Deal(
        id=row.id,
        customer_id=row.customer_id,
        owner_id=row.owner_id,
        stage=DealStage(row.stage),
        opened_at=row.opened_at,
        stage_at=row.stage_at,
        request_id=row.request_id,
        reservation=_reservation(row),
        deposit=_deposit(deposit),
    )


def _with_deposit() -> Select[DealRow, DepositRow]:
    return select(DealRow, DepositRow).outerjoin(DepositRow, DepositRow.deal_id == DealRow.id)


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

    async def get(self, deal_id: int) -> Deal | None:
        found = (await self._session.execute(_with_deposit().where(DealRow.id == deal_id))).first()
        return None if found is None else _deal(found[0], found[1])

    async def for_customer(self, customer_id: int) -> Sequence[Deal]:
        rows = await self._session.execute(
            _with_deposit().where(DealRow.customer_id == customer_id).order_by(DealRow.id)
        )
        return [_deal(deal, deposit) for deal, deposit in rows]

    async def open_of_owners(self, owner_ids: Collection[int]) -> Sequence[Deal]:
        over = [DealStage.closed.value, DealStage.lost.value]
        found: list[Deal] = []
        for batch in id_batches(owner_ids):
            rows = await self._session.execute(
                _with_deposit()
                .where(DealRow.owner_id.in_(batch), DealRow.stage.not_in(over))
                .order_by(DealRow.opened_at, DealRow.id)
            )
            found += [_deal(deal, deposit) for deal, deposit in rows]
        return found

    async def in_stage(self, stage: DealStage) -> Sequence[Deal]:
        rows = await self._session.execute(
            _with_deposit().where(DealRow.stage == stage.value).order_by(DealRow.stage_at)
        )
        return [_deal(deal, deposit) for deal, deposit in rows]

    async def taken_requests(self, request_ids: Collection[int]) -> set[int]:
        taken = await self._session.scalars(
            select(DealRow.request_id).where(DealRow.request_id.in_(list(request_ids)))
        )
        return {request_id for request_id in taken if request_id is not None}

    async def move(self, deal_id: int, seen: DealStage, to: DealStage, now: datetime) -> bool:
        moved = await self._session.execute(
            update(DealRow)
            .where(DealRow.id == deal_id, DealRow.stage == seen.value)
            .values(stage=to.value, stage_at=now)
            .returning(DealRow.id)
        )
        return moved.first() is not None

    async def reserve(self, deal_id: int, reservation: Reservation) -> None:
        await self._session.execute(
            update(DealRow)
            .where(DealRow.id == deal_id)
            .values(
                reserved_amount=reservation.amount,
                expected_deposit=reservation.expected_deposit,
                signed_page=reservation.signed_page,
                page_is_photo=reservation.page_is_photo,
                reserved_at=reservation.at,
            )
        )

    async def add_deposit(self, deal_id: int, deposit: Deposit) -> None:
        self._session.add(
            DepositRow(
                deal_id=deal_id,
                amount=deposit.amount,
                paid_on=deposit.paid_on,
                method=deposit.method.value,
                receipt_no=deposit.receipt_no,
                reference=deposit.reference,
                recorded_by=deposit.recorded_by,
                recorded_at=deposit.recorded_at,
            )
        )
        await self._session.flush()

    async def deposits_between(self, first: date, last: date) -> Sequence[Decimal]:
        rows = await self._session.scalars(
            select(DepositRow.amount).where(DepositRow.paid_on >= first, DepositRow.paid_on <= last)
        )
        return list(rows)

    async def deposits(self, deal_ids: Collection[int]) -> dict[int, Decimal]:
        found: dict[int, Decimal] = {}
        for batch in id_batches(deal_ids):
            rows = await self._session.execute(
                select(DepositRow.deal_id, DepositRow.amount).where(DepositRow.deal_id.in_(batch))
            )
            found.update((deal_id, amount) for deal_id, amount in rows)
        return found

    async def deposit_receipts(self, deal_ids: Collection[int]) -> dict[int, tuple[date, Decimal]]:
        found: dict[int, tuple[date, Decimal]] = {}
        for batch in id_batches(deal_ids):
            rows = await self._session.execute(
                select(DepositRow.deal_id, DepositRow.paid_on, DepositRow.amount).where(
                    DepositRow.deal_id.in_(batch)
                )
            )
            found.update((deal_id, (paid_on, amount)) for deal_id, paid_on, amount in rows)
        return found
