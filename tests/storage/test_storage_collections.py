"""The collections sweep on a real database: each telling claimed once by a unique row, also
when two sweeps run at once; the legal flag set once; and a fixed number of statements
whatever the number of contracts. Contracts from `test_storage_contracts.add_contract`:
instalments due 2026-04-01 and 2026-05-01, nothing collected."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

from dbtools import NOW, Sessions, count, statements
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import org  # noqa: F401 - org is a fixture
from test_storage_contracts import add_contract

from bot.core.contracts import Contract, ContractStatus, approved, cosigned
from bot.core.policy import Policy
from bot.core.usecases.collection_sweep import sweep_collections
from bot.core.usecases.credit import credit_of
from storage.tables import CollectionClaimRow, OutboxRow
from storage.uow import SqlUnitOfWork

POLICY = Policy()
APRIL_2 = datetime(2026, 4, 2, 2, tzinfo=UTC)  # Thursday 10:00 in Shanghai: one day late
JULY_1 = datetime(2026, 7, 1, 2, tzinfo=UTC)  # 91 days after 04-01


async def in_force(sessionmaker: Sessions, people: dict[str, int], number: int) -> Contract:
    contract = await add_contract(sessionmaker, people)
    async with SqlUnitOfWork(sessionmaker) as uow:
        signed = approved(contract, number=f"HT-{number}", signed_by=people["mgr"], now=NOW)
        await uow.contracts.save(signed, expected=ContractStatus.applied)
        await uow.contracts.save(
            cosigned(signed, by=people["sid"], now=NOW), expected=signed.status
        )
        await uow.commit()
    return signed


async def sweep(sessionmaker: Sessions, now: datetime) -> int:
    async with SqlUnitOfWork(sessionmaker) as uow:
        return await sweep_collections(uow, policy=POLICY, now=now)


async def test_the_sweep_sends_once_and_bundles_per_person(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    for n in range(3):
        await in_force(sessionmaker, org, n)
    assert await sweep(sessionmaker, APRIL_2) == 2  # the rep and the supervisor, once each
    assert await sweep(sessionmaker, APRIL_2) == 0
    assert await count(sessionmaker, CollectionClaimRow) == 3
    async with sessionmaker() as session:
        rows = (await session.scalars(select(OutboxRow))).all()
    assert sorted(r.recipient_id for r in rows) == sorted([org["rep"], org["sup"]])
    assert all(len(r.params["items"]) == 3 for r in rows)


async def test_two_sweeps_at_once_send_once(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    await in_force(sessionmaker, org, 1)
    sent = await asyncio.gather(*(sweep(sessionmaker, APRIL_2) for _ in range(2)))
    assert sorted(sent) == [0, 2]
    assert await count(sessionmaker, OutboxRow) == 2


async def test_the_legal_flag_is_set_once_and_reads_back(
    sessionmaker: Sessions,
    org: dict[str, int],  # noqa: F811
) -> None:
    contract = await in_force(sessionmaker, org, 1)
    await sweep(sessionmaker, JULY_1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        flagged = await uow.contracts.get(contract.id)
        again = await uow.contracts.flag_legal([contract.id], NOW)
    assert flagged is not None
    assert flagged.legal_flagged_at == JULY_1
    assert again == set()
    async with sessionmaker() as session:
        legal = (
            await session.scalars(
                select(OutboxRow).where(OutboxRow.template == "collections_legal")
            )
        ).all()
    assert [r.recipient_id for r in legal] == [org["mgr"]]


async def test_the_sweep_takes_a_fixed_number_of_statements(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    seen: dict[int, int] = {}
    for total in (2, 6):
        while len(await _in_force_ids(sessionmaker)) < total:
            await in_force(sessionmaker, org, len(await _in_force_ids(sessionmaker)) + 100)
        async with SqlUnitOfWork(sessionmaker) as uow:
            with statements(engine) as run:
                await sweep_collections(
                    uow, policy=POLICY, now=datetime(2026, 4, 1 + total, 2, tzinfo=UTC)
                )
        seen[total] = len(run)
    assert seen[2] == seen[6]


async def _in_force_ids(sessionmaker: Sessions) -> list[int]:
    async with SqlUnitOfWork(sessionmaker) as uow:
        return [c.id for c in await uow.contracts.ledger(statuses={ContractStatus.in_force})]


async def test_credit_of_reads_a_fixed_number_of_statements(
    sessionmaker: Sessions,
    engine: AsyncEngine,
    org: dict[str, int],  # noqa: F811
) -> None:
    seen: dict[int, int] = {}
    customers: set[int] = set()
    for total in (1, 4):
        while len(customers) < total:
            customers.add((await in_force(sessionmaker, org, len(customers) + 200)).customer_id)
        async with SqlUnitOfWork(sessionmaker) as uow:
            with statements(engine) as run:
                found = await credit_of(uow, customers, APRIL_2.date(), POLICY)
        seen[total] = len(run)
        assert all(info.overdue == Decimal("5000000.00") for info in found.values())
    assert seen[1] == seen[4]
