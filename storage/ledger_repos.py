"""What is recorded against a contract: payments, delivery notes and work orders
(bot/core/payments.py, deliveries.py, work_orders.py). Sums are taken in Python: SQLite keeps
decimals as text and would add them as floats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.deliveries import DeliveryNote, DeliveryStatus
from bot.core.payments import Payment, PaymentDraft, PaymentMethod
from bot.core.work_orders import WorkOrder, WorkOrderStatus
from storage.batches import bulk_insert, id_batches
from storage.tables import (
    ContractLineRow,
    ContractRow,
    DeliveryLineRow,
    DeliveryNoteRow,
    PaymentRow,
    WorkOrderRow,
)


def _payment(row: PaymentRow) -> Payment:
    return Payment(
        id=row.id,
        contract_id=row.contract_id,
        amount=row.amount,
        paid_on=row.paid_on,
        method=PaymentMethod(row.method),
        reference=row.reference,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


_PAYMENT_ORDER = (PaymentRow.paid_on, PaymentRow.recorded_at, PaymentRow.id)


class SqlPayments:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, draft: PaymentDraft, *, recorded_by: int, now: datetime) -> Payment:
        row = PaymentRow(
            contract_id=draft.contract_id,
            amount=draft.amount,
            paid_on=draft.paid_on,
            method=draft.method.value,
            reference=draft.reference,
            recorded_by=recorded_by,
            recorded_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _payment(row)

    async def for_contract(self, contract_id: int) -> Sequence[Payment]:
        rows = await self._session.scalars(
            select(PaymentRow)
            .where(PaymentRow.contract_id == contract_id)
            .order_by(*_PAYMENT_ORDER)
        )
        return [_payment(row) for row in rows]

    async def for_contracts(self, contract_ids: Collection[int]) -> dict[int, list[Payment]]:
        found: dict[int, list[Payment]] = defaultdict(list)
        for batch in id_batches(contract_ids):
            for row in await self._session.scalars(
                select(PaymentRow)
                .where(PaymentRow.contract_id.in_(batch))
                .order_by(PaymentRow.contract_id, *_PAYMENT_ORDER)
            ):
                found[row.contract_id].append(_payment(row))
        return dict(found)

    async def receipts(
        self, contract_ids: Collection[int]
    ) -> dict[int, list[tuple[date, Decimal]]]:
        found: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
        for batch in id_batches(contract_ids):
            for contract_id, paid_on, amount in await self._session.execute(
                select(PaymentRow.contract_id, PaymentRow.paid_on, PaymentRow.amount)
                .where(PaymentRow.contract_id.in_(batch))
                .order_by(PaymentRow.contract_id, *_PAYMENT_ORDER)
            ):
                found[contract_id].append((paid_on, amount))
        return dict(found)

    async def paid_between(
        self, first: date, last: date, *, owner_ids: Collection[int] | None = None
    ) -> Sequence[Payment]:
        query = (
            select(PaymentRow)
            .join(ContractRow, ContractRow.id == PaymentRow.contract_id)
            .where(PaymentRow.paid_on >= first, PaymentRow.paid_on <= last)
            .order_by(*_PAYMENT_ORDER)
        )
        if owner_ids is not None:
            query = query.where(ContractRow.owner_id.in_(sorted(owner_ids)))
        return [_payment(row) for row in await self._session.scalars(query)]


# The columns `save` writes for a note: its status and who did what when.
_NOTE_MOVING = (
    "signed_by",
    "signed_at",
    "shipped_at",
    "signed_copy",
    "copy_at",
    "booked_by",
    "booked_at",
    "cancelled_at",
)


class SqlDeliveries:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, contract_id: int, *, lines: Sequence[Decimal], filed_by: int, now: datetime
    ) -> DeliveryNote:
        last = await self._session.scalar(
            select(func.max(DeliveryNoteRow.seq)).where(DeliveryNoteRow.contract_id == contract_id)
        )
        row = DeliveryNoteRow(
            contract_id=contract_id,
            seq=(last or 0) + 1,
            status=DeliveryStatus.filed.value,
            filed_by=filed_by,
            filed_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        await self._session.execute(
            bulk_insert(DeliveryLineRow),
            [{"note_id": row.id, "position": p, "quantity": q} for p, q in enumerate(lines)],
        )
        return _note(row, tuple(lines))

    async def get(self, note_id: int) -> DeliveryNote | None:
        found = await self._notes([DeliveryNoteRow.id == note_id])
        return found[0] if found else None

    async def for_contract(self, contract_id: int) -> Sequence[DeliveryNote]:
        return await self._notes([DeliveryNoteRow.contract_id == contract_id])

    async def save(self, note: DeliveryNote, *, expected: DeliveryStatus) -> bool:
        written = await self._session.scalar(
            update(DeliveryNoteRow)
            .where(DeliveryNoteRow.id == note.id, DeliveryNoteRow.status == expected.value)
            .values(status=note.status.value, **{n: getattr(note, n) for n in _NOTE_MOVING})
            .returning(DeliveryNoteRow.id)
        )
        return written is not None

    async def delivered(self, contract_ids: Collection[int]) -> dict[int, tuple[Decimal, ...]]:
        totals: dict[int, list[Decimal]] = {}
        for batch in id_batches(contract_ids):
            for contract_id, count in await self._session.execute(
                select(ContractLineRow.contract_id, func.count())
                .where(ContractLineRow.contract_id.in_(batch))
                .group_by(ContractLineRow.contract_id)
            ):
                totals[contract_id] = [Decimal(0)] * count
            for contract_id, position, quantity in await self._session.execute(
                select(
                    DeliveryNoteRow.contract_id, DeliveryLineRow.position, DeliveryLineRow.quantity
                )
                .join(DeliveryLineRow, DeliveryLineRow.note_id == DeliveryNoteRow.id)
                .where(
                    DeliveryNoteRow.contract_id.in_(batch),
                    DeliveryNoteRow.status != DeliveryStatus.cancelled.value,
                )
            ):
                totals[contract_id][position] += quantity
        return {contract_id: tuple(quantities) for contract_id, quantities in totals.items()}

    async def in_status(self, statuses: Collection[DeliveryStatus]) -> Sequence[DeliveryNote]:
        wanted = sorted(s.value for s in statuses)
        return await self._notes([DeliveryNoteRow.status.in_(wanted)], by_id=True)

    async def booked_between(self, start: datetime, end: datetime) -> Sequence[DeliveryNote]:
        return await self._notes(
            [
                DeliveryNoteRow.booked_at >= start,
                DeliveryNoteRow.booked_at < end,
                DeliveryNoteRow.status != DeliveryStatus.cancelled.value,
            ],
            by_id=True,
        )

    async def _notes(self, where: list[Any], *, by_id: bool = False) -> list[DeliveryNote]:
        rows = list(
            await self._session.scalars(
                select(DeliveryNoteRow)
                .where(*where)
                .order_by(
                    *(
                        (DeliveryNoteRow.id,)
                        if by_id
                        else (DeliveryNoteRow.contract_id, DeliveryNoteRow.seq)
                    )
                )
                .execution_options(populate_existing=True)
            )
        )
        lines: dict[int, list[Decimal]] = defaultdict(list)
        for batch in id_batches([row.id for row in rows]):
            for note_id, quantity in await self._session.execute(
                select(DeliveryLineRow.note_id, DeliveryLineRow.quantity)
                .where(DeliveryLineRow.note_id.in_(batch))
                .order_by(DeliveryLineRow.note_id, DeliveryLineRow.position)
            ):
                lines[note_id].append(quantity)
        return [_note(row, tuple(lines[row.id])) for row in rows]


def _note(row: DeliveryNoteRow, lines: tuple[Decimal, ...]) -> DeliveryNote:
    return DeliveryNote(
        id=row.id,
        contract_id=row.contract_id,
        seq=row.seq,
        lines=lines,
        status=DeliveryStatus(row.status),
        filed_by=row.filed_by,
        filed_at=row.filed_at,
        **{name: getattr(row, name) for name in _NOTE_MOVING},
    )


_ORDER_MOVING = (
    "signed_by",
    "signed_at",
    "assignee_id",
    "assigned_at",
    "accepted_at",
    "acceptance",
)


def _order(row: WorkOrderRow) -> WorkOrder:
    return WorkOrder(
        id=row.id,
        contract_id=row.contract_id,
        task=row.task,
        status=WorkOrderStatus(row.status),
        filed_by=row.filed_by,
        filed_at=row.filed_at,
        **{name: getattr(row, name) for name in _ORDER_MOVING},
    )


class SqlWorkOrders:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, contract_id: int, *, task: str, filed_by: int, now: datetime) -> WorkOrder:
        row = WorkOrderRow(
            contract_id=contract_id,
            task=task,
            status=WorkOrderStatus.filed.value,
            filed_by=filed_by,
            filed_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _order(row)

    async def get(self, order_id: int) -> WorkOrder | None:
        row = await self._session.get(WorkOrderRow, order_id, populate_existing=True)
        return _order(row) if row else None

    async def for_contract(self, contract_id: int) -> Sequence[WorkOrder]:
        rows = await self._session.scalars(
            select(WorkOrderRow)
            .where(WorkOrderRow.contract_id == contract_id)
            .order_by(WorkOrderRow.id)
            .execution_options(populate_existing=True)
        )
        return [_order(row) for row in rows]

    async def save(self, order: WorkOrder, *, expected: WorkOrderStatus) -> bool:
        written = await self._session.scalar(
            update(WorkOrderRow)
            .where(WorkOrderRow.id == order.id, WorkOrderRow.status == expected.value)
            .values(status=order.status.value, **{n: getattr(order, n) for n in _ORDER_MOVING})
            .returning(WorkOrderRow.id)
        )
        return written is not None

    async def in_status(self, statuses: Collection[WorkOrderStatus]) -> Sequence[WorkOrder]:
        rows = await self._session.scalars(
            select(WorkOrderRow)
            .where(WorkOrderRow.status.in_(sorted(s.value for s in statuses)))
            .order_by(WorkOrderRow.id)
            .execution_options(populate_existing=True)
        )
        return [_order(row) for row in rows]
