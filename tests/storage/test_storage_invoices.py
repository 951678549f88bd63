"""Invoices in storage: written and read back exact, moved only from the status expected (of
two accountants issuing at once, one wins), the accountant's queue by status, and the
reads the approval cards and the ledger make, one statement for many."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from dbtools import NOW, Sessions, statements
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import org  # noqa: F401 - org is a fixture
from test_storage_contracts import add_contract

from bot.core.invoices import InvoiceStatus, issue
from storage.uow import SqlUnitOfWork

D = Decimal
IS = InvoiceStatus


async def test_an_invoice_is_asked_approved_and_issued_once(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    a, b = [await add_contract(sessionmaker, org) for _ in range(2)]
    async with SqlUnitOfWork(sessionmaker) as uow:
        first = await uow.invoices.add(
            a.id, amount=D("6000.01"), collected=D("6000.00"), asked_by=org["rep"], now=NOW
        )
        second = await uow.invoices.add(
            b.id, amount=D("1.00"), collected=D("1.00"), asked_by=org["rep"], now=NOW
        )
        approved = replace(first, status=IS.approved)
        assert await uow.invoices.save(approved, expected=IS.asked)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [i.id for i in await uow.invoices.in_status(IS.approved)] == [first.id]
        assert await uow.invoices.get(first.id) == approved
        done = issue(
            approved,
            number="fp1",
            issued_on=date(2026, 3, 1),
            by=org["sid"],
            today=date(2026, 3, 2),
            now=NOW,
        )
        assert await uow.invoices.save(done, expected=IS.approved)
        assert not await uow.invoices.save(done, expected=IS.approved), "issued once"
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        with statements(engine) as seen:
            both = await uow.invoices.for_contracts([a.id, b.id, 999])
        assert len(seen) == 1
        assert [(i.id, i.status, i.number, i.amount) for i in both] == [
            (first.id, IS.issued, "FP1", D("6000.01")),
            (second.id, IS.asked, None, D("1.00")),
        ]
        assert await uow.invoices.for_contracts([]) == []
        assert await uow.invoices.by_request(1) is None
