"""Commission sheets in storage: a month's payments by the contracts' owner in one read, a
sheet read back whole and exact, moves written only from the status and step read, and one
live sheet per rep and month."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from dbtools import NOW, Sessions, add_person, statements
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import add_customer, org  # noqa: F401 - org is a fixture
from test_storage_contracts import add_contract

from bot.core.collections import commission_sheet
from bot.core.commission import (
    SheetAlreadyFiled,
    SheetDraft,
    SheetStatus,
    check_sheet,
    return_sheet,
)
from bot.core.contracts import ContractStatus
from bot.core.payments import PaymentDraft, PaymentMethod
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import commission
from storage.uow import SqlUnitOfWork

D = Decimal
DECEMBER = date(2026, 12, 1)
CHAIN = (Role.accountant, Role.finance_vp, Role.general_manager)


async def pay(sessionmaker: Sessions, contract_id: int, day: date, amount: str, by: int) -> int:
    async with SqlUnitOfWork(sessionmaker) as uow:
        draft = PaymentDraft(contract_id, D(amount), day, PaymentMethod.bank_transfer, "BK")
        payment = await uow.payments.add(draft, recorded_by=by, now=NOW)
        await uow.commit()
    return payment.id


async def test_a_month_s_payments_are_read_by_owner_in_one_statement(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    mine = await add_contract(sessionmaker, org)
    other = await add_customer(sessionmaker, org["sid"], name="Bolt Works")
    theirs = await add_contract(sessionmaker, {**org, "rep": org["sid"]}, customer_id=other)
    before = await pay(sessionmaker, mine.id, date(2026, 11, 30), "1.00", org["sup"])
    first = await pay(sessionmaker, mine.id, date(2026, 12, 1), "2.00", org["sup"])
    last = await pay(sessionmaker, mine.id, date(2026, 12, 31), "3.00", org["sup"])
    other_rep = await pay(sessionmaker, theirs.id, date(2026, 12, 5), "4.00", org["sup"])
    async with SqlUnitOfWork(sessionmaker) as uow:
        with statements(engine) as seen:
            found = await uow.payments.paid_between(
                DECEMBER, date(2026, 12, 31), owner_ids={org["rep"]}
            )
        everyone = await uow.payments.paid_between(DECEMBER, date(2026, 12, 31))
    assert [p.id for p in found] == [first, last]
    assert len(seen) == 1
    assert [p.id for p in everyone] == [first, other_rep, last]
    assert before not in {p.id for p in everyone}


async def test_a_sheet_reads_back_whole_and_moves_once_from_where_it_was(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    contract = await add_contract(sessionmaker, org)
    paid = await pay(sessionmaker, contract.id, date(2026, 12, 10), "12345.67", org["sup"])
    async with SqlUnitOfWork(sessionmaker) as uow:
        (payment,) = await uow.payments.paid_between(DECEMBER, date(2026, 12, 31))
        sheet = commission_sheet(
            org["rep"],
            DECEMBER,
            [payment],
            {contract.id: replace(contract, status=ContractStatus.in_force)},
            D("0.025"),
            deductions={contract.id: D("9.86")},
        )
        filed = await uow.commission_sheets.add(
            SheetDraft(org["rep"], DECEMBER, sheet), filed_by=org["sup"], now=NOW
        )
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        read = await uow.commission_sheets.get(filed.id)
        checked = check_sheet(filed, CHAIN, by=org["mgr"], now=NOW)
        assert await uow.commission_sheets.save(checked, expected=SheetStatus.filed, step=0)
        assert not await uow.commission_sheets.save(checked, expected=SheetStatus.filed, step=0)
        await uow.commit()
    assert read == filed
    assert read.lines[0].payment_ids == (paid,)
    assert (read.lines[0].commission, read.total.payable) == (D("308.64"), D("298.78"))
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.commission_sheets.get(filed.id) == checked
        assert [s.id for s in await uow.commission_sheets.in_status({SheetStatus.filed})] == [
            filed.id
        ]


async def test_one_live_sheet_per_rep_and_month(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    contract = await add_contract(sessionmaker, org)
    await pay(sessionmaker, contract.id, date(2026, 12, 10), "100.00", org["sup"])
    empty = commission_sheet(org["rep"], DECEMBER, [], {}, D("0.02"))
    draft = SheetDraft(org["rep"], DECEMBER, empty)
    async with SqlUnitOfWork(sessionmaker) as uow:
        filed = await uow.commission_sheets.add(draft, filed_by=org["sup"], now=NOW)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        with pytest.raises(SheetAlreadyFiled):  # the second of two desks filing at once
            await uow.commission_sheets.add(draft, filed_by=org["sup"], now=NOW)
    async with SqlUnitOfWork(sessionmaker) as uow:
        back = return_sheet(filed, by=org["mgr"], reason="wrong month", now=NOW)
        assert await uow.commission_sheets.save(back, expected=SheetStatus.filed, step=0)
        again = await uow.commission_sheets.add(draft, filed_by=org["sup"], now=NOW)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [s.id for s in await uow.commission_sheets.live(DECEMBER)] == [again.id]


async def in_force_with_payments(sessionmaker: Sessions, people: dict[str, int], n: int) -> None:
    for k in range(n):
        contract = await add_contract(sessionmaker, people)
        async with SqlUnitOfWork(sessionmaker) as uow:
            moved = replace(contract, status=ContractStatus.in_force, number=f"HT-{n}-{k}")
            assert await uow.contracts.save(moved, expected=ContractStatus.applied)
            await uow.commit()
        for day in (date(2026, 5, 5), date(2026, 5, 20)):
            await pay(sessionmaker, contract.id, day, "1000.00", people["sup"])


async def draft_statements(sessionmaker: Sessions, engine: AsyncEngine, desk: int, rep: int) -> int:
    async with SqlUnitOfWork(sessionmaker) as uow:
        with statements(engine) as seen:
            view = await commission.commission_draft(
                uow,
                actor_id=desk,
                rep_id=rep,
                month=date(2026, 5, 1),
                policy=Policy(),
                today=date(2026, 6, 2),
            )
    assert all(line.deduction > 0 for line in view.sheet.lines), "April's money is overdue"
    return len(seen)


async def test_a_sheet_is_generated_in_statements_that_do_not_grow_with_contracts(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    """Measured: the same number of statements for 2 contracts of 2 payments as for 8."""
    desk = await add_person(sessionmaker, 50, role=Role.sales_desk)
    counts = []
    for n in (2, 8):
        await in_force_with_payments(sessionmaker, org, n)
        counts.append(await draft_statements(sessionmaker, engine, desk.id, org["rep"]))
    assert counts[0] == counts[1], counts
