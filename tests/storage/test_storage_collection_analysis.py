"""The collection analysis's reads on a real database: the collectable contracts (in force, or
closed since the month began), the deposits with their day, and a fixed number of statements
for the monthly push whatever the number of contracts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from dbtools import NOW, Sessions, statements
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import org  # noqa: F401 - org is a fixture
from test_storage_contracts import CS, D, add_contract

from bot.core.contracts import Contract
from bot.core.orders import Deposit
from bot.core.payments import PaymentDraft, PaymentMethod
from bot.core.policy import Policy
from bot.core.usecases.collection_report import send_collection_analysis
from storage.tables import DigestRow
from storage.uow import SqlUnitOfWork

MAY_FIRST = datetime(2026, 5, 1, 2, tzinfo=UTC)  # a Friday, 10:00 in Shanghai


async def in_force(sessionmaker: Sessions, people: dict[str, int], paid: int = 1) -> Contract:
    contract = await add_contract(sessionmaker, people)
    async with SqlUnitOfWork(sessionmaker) as uow:
        moved = replace(contract, status=CS.in_force)
        assert await uow.contracts.save(moved, expected=CS.applied)
        await uow.deals.add_deposit(
            contract.deal_id,
            Deposit(
                D(3000000), date(2026, 3, 1), PaymentMethod.cash, "SJ", None, people["sid"], NOW
            ),
        )
        for n in range(paid):
            draft = PaymentDraft(contract.id, D(1000), date(2026, 4, 1 + n), PaymentMethod.cash)
            await uow.payments.add(draft, recorded_by=people["sid"], now=NOW)
        await uow.commit()
    return moved


async def test_collectable_is_in_force_or_closed_since_and_deposits_have_their_day(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    open_one = await in_force(sessionmaker, org)
    closed_late = await in_force(sessionmaker, org)
    closed_early = await in_force(sessionmaker, org)
    await add_contract(sessionmaker, org)  # still applied
    async with SqlUnitOfWork(sessionmaker) as uow:
        for contract, at in ((closed_late, MAY_FIRST), (closed_early, NOW)):
            closed = replace(contract, status=CS.closed, closed_at=at)
            assert await uow.contracts.save(closed, expected=CS.in_force)
        await uow.commit()

    april = datetime(2026, 3, 31, 16, tzinfo=UTC)  # 04-01 00:00 in Shanghai
    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.contracts.collectable(owner_ids=None, closed_since=april)
        assert [c.id for c in found] == [open_one.id, closed_late.id]
        assert await uow.contracts.collectable(owner_ids=[org["sid"]], closed_since=april) == []
        receipts = await uow.deals.deposit_receipts([open_one.deal_id, 999])
    assert receipts == {open_one.deal_id: (date(2026, 3, 1), D(3000000))}


async def _push_statements(sessionmaker: Sessions, engine: AsyncEngine) -> tuple[int, int]:
    async with SqlUnitOfWork(sessionmaker) as uow:
        with statements(engine) as seen:
            sent = await send_collection_analysis(uow, policy=Policy(), now=MAY_FIRST)
    return sent, len(seen)


async def test_the_push_reads_a_fixed_number_of_statements_whatever_the_contracts(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    for _ in range(2):
        await in_force(sessionmaker, org)
    sent, few = await _push_statements(sessionmaker, engine)
    assert sent == 2  # the supervisor and the sales manager above the rep; sid has no one

    async with sessionmaker() as session:  # the claims gone, ten times the contracts
        await session.execute(delete(DigestRow))
        await session.commit()
    for _ in range(18):
        await in_force(sessionmaker, org, paid=3)
    sent, many = await _push_statements(sessionmaker, engine)
    assert sent == 2
    # people; contracts, their lines and instalments; payments; deposits; claims; customers;
    # the outbox
    assert many == few == 9
