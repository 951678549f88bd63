"""Invoices (bot/core/invoices.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.invoices import Invoice, InvoiceStatus
from storage.tables import InvoiceRow

_MOVING = ("request_id", "number", "issued_on", "issued_by", "issued_at")


def _invoice(row: InvoiceRow) -> Invoice:
    return Invoice(
        id=row.id,
        contract_id=row.contract_id,
        amount=row.amount,
        status=InvoiceStatus(row.status),
        asked_by=row.asked_by,
        asked_at=row.asked_at,
        collected=row.collected,
        request_id=row.request_id,
        number=row.number,
        issued_on=row.issued_on,
        issued_by=row.issued_by,
        issued_at=row.issued_at,
    )


class SqlInvoices:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        contract_id: int,
        *,
        amount: Decimal,
        collected: Decimal,
        asked_by: int,
        now: datetime,
    ) -> Invoice:
        row = InvoiceRow(
            contract_id=contract_id,
            amount=amount,
            collected=collected,
            status=InvoiceStatus.asked.value,
            asked_by=asked_by,
            asked_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _invoice(row)

    async def get(self, invoice_id: int) -> Invoice | None:
        row = await self._session.get(InvoiceRow, invoice_id, populate_existing=True)
        return _invoice(row) if row else None

    async def _where(self, *criteria: ColumnElement[bool]) -> list[Invoice]:
        rows = await self._session.scalars(
            select(InvoiceRow)
            .where(*criteria)
            .order_by(InvoiceRow.id)
            .execution_options(populate_existing=True)
        )
        return [_invoice(row) for row in rows]

    async def by_request(self, request_id: int) -> Invoice | None:
        found = await self._where(InvoiceRow.request_id == request_id)
        return found[0] if found else None

    async def by_number(self, number: str) -> Invoice | None:
        found = await self._where(InvoiceRow.number == number)
        return found[0] if found else None

    async def by_requests(self, request_ids: Collection[int]) -> Sequence[Invoice]:
        return await self._where(InvoiceRow.request_id.in_(sorted(request_ids)))

    async def for_contract(self, contract_id: int) -> Sequence[Invoice]:
        return await self._where(InvoiceRow.contract_id == contract_id)

    async def for_contracts(self, contract_ids: Collection[int]) -> Sequence[Invoice]:
        if not contract_ids:
            return []
        return await self._where(InvoiceRow.contract_id.in_(sorted(contract_ids)))

    async def save(self, invoice: Invoice, *, expected: InvoiceStatus) -> bool:
        written = await self._session.scalar(
            update(InvoiceRow)
            .where(InvoiceRow.id == invoice.id, InvoiceRow.status == expected.value)
            .values(status=invoice.status.value, **{n: getattr(invoice, n) for n in _MOVING})
            .returning(InvoiceRow.id)
        )
        return written is not None

    async def in_status(self, status: InvoiceStatus) -> Sequence[Invoice]:
        return await self._where(InvoiceRow.status == status.value)
