"""The customer pool's queries on a migrated database (SQLite and PostgreSQL): the sweep's
candidates, the warning claimed once per return day, the move that a visit logged meanwhile
beats, the page with its search, the counts the claim limits read, and two claims at once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from dbtools import NOW, Sessions, add_person, statements
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.customers import Customer, CustomerEvent, CustomerStatus
from bot.core.policy import Policy
from bot.core.pool import CLAIMED
from bot.core.roles import Role
from bot.core.usecases.pool_sweep import sweep_pool
from storage.uow import SqlUnitOfWork

DAY = timedelta(days=1)
SWEEP_STATEMENTS = 12
TODAY = NOW.date()
LAST_DAY = date(2026, 2, 1)  # idle since this day or earlier
BOUND = datetime(2026, 2, 1, 16, tzinfo=NOW.tzinfo)  # Shanghai's midnight after it, in UTC


async def add(
    sessionmaker: Sessions, owner_id: int, name: str, taken: datetime, **changes: object
) -> Customer:
    async with SqlUnitOfWork(sessionmaker) as uow:
        customer = await uow.customers.add(name=name, owner_id=owner_id, phone=None, now=taken)
        if changes:
            customer = replace(customer, **changes)  # type: ignore[arg-type]
            await uow.customers.save(customer)
        await uow.commit()
    return customer


async def test_the_sweep_reads_the_idle_and_moves_them_unless_visited_meanwhile(
    sessionmaker: Sessions, engine: AsyncEngine
) -> None:
    rep = await add_person(sessionmaker, 1, role=Role.rep)
    old = datetime(2026, 1, 1, tzinfo=NOW.tzinfo)
    idle = await add(sessionmaker, rep.id, "Idle", old)
    visited = await add(sessionmaker, rep.id, "Visited", old, last_visit_on=date(2026, 2, 20))
    taken_late = await add(sessionmaker, rep.id, "Taken late", BOUND)
    await add(sessionmaker, rep.id, "Won", old, status=CustomerStatus.won)
    raced = await add(sessionmaker, rep.id, "Raced", old)

    with statements(engine) as seen:
        async with SqlUnitOfWork(sessionmaker) as uow:
            found = await uow.pool.idle(LAST_DAY, BOUND)
    assert [c.name for c in found] == ["Idle", "Raced"]
    assert len(seen) == 1

    async with SqlUnitOfWork(sessionmaker) as uow:  # a visit logged between read and move
        racing = await uow.customers.get(raced.id)
        assert racing is not None
        await uow.customers.save(replace(racing, last_visit_on=date(2026, 2, 10)))
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        moved = await uow.pool.to_pool([c.id for c in found], LAST_DAY, BOUND, NOW, warned_by=None)
        await uow.commit()
    assert moved == {idle.id}
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert (await uow.customers.get(idle.id)).pooled_at == NOW  # type: ignore[union-attr]
        assert [c.id for c in await uow.customers.owned_by([rep.id])] != []
        assert idle.id not in {c.id for c in await uow.customers.owned_by([rep.id])}
        page, total = await uow.pool.listed(None, 0, 8)
        assert ([c.id for c in page], total) == ([idle.id], 1)
        assert await uow.pool.open_count(rep.id) == 4  # visited, taken late, won, raced
    assert visited.id not in moved
    assert taken_late.id not in moved


async def test_a_warning_is_claimed_once_per_return_day(sessionmaker: Sessions) -> None:
    rep = await add_person(sessionmaker, 1, role=Role.rep)
    customer = await add(sessionmaker, rep.id, "Idle", NOW)
    day = date(2026, 4, 1)
    for expected in ({customer.id}, set()):
        async with SqlUnitOfWork(sessionmaker) as uow:
            assert await uow.pool.claim_warnings({customer.id: day}) == expected
            await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:  # a new idle spell warns again
        assert await uow.pool.claim_warnings({customer.id: day + DAY}) == {customer.id}


async def test_the_pool_is_searched_by_name_and_region(sessionmaker: Sessions) -> None:
    rep = await add_person(sessionmaker, 1, role=Role.rep)
    east = await add(sessionmaker, rep.id, "Golden Dragon", NOW, region="east")
    await add(sessionmaker, rep.id, "Minghua", NOW, region="north")
    async with SqlUnitOfWork(sessionmaker) as uow:
        everyone = [c.id for c in await uow.pool.idle(date(2027, 1, 1), NOW + DAY)]
        await uow.pool.to_pool(everyone, date(2027, 1, 1), NOW + DAY, NOW, warned_by=None)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [c.id for c in (await uow.pool.listed("EAST", 0, 8))[0]] == [east.id]
        assert [c.id for c in (await uow.pool.listed("dragon", 0, 8))[0]] == [east.id]
        assert (await uow.pool.listed(None, 1, 8))[1] == 2


async def test_of_ten_claims_at_once_one_wins_and_the_count_reads_it(
    sessionmaker: Sessions,
) -> None:
    rep = await add_person(sessionmaker, 1, role=Role.rep)
    racers = [await add_person(sessionmaker, 10 + i, role=Role.rep) for i in range(10)]
    customer = await add(sessionmaker, rep.id, "Idle", NOW - 60 * DAY)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.pool.to_pool([customer.id], date(2027, 1, 1), NOW, NOW, warned_by=None)
        await uow.commit()

    async def claim(person_id: int) -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.pool.take(customer.id, person_id, NOW, from_pool=True)
            if won:
                await uow.customer_events.add(CustomerEvent(customer.id, CLAIMED, person_id, NOW))
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim(p.id) for p in racers))
    assert results.count(True) == 1
    winner = racers[results.index(True)].id
    async with SqlUnitOfWork(sessionmaker) as uow:
        taken = await uow.customers.get(customer.id)
        assert taken is not None
        assert (taken.owner_id, taken.pooled_at, taken.taken_at) == (winner, None, NOW)
        assert await uow.pool.claims_since(winner, NOW - DAY) == 1
        assert await uow.pool.claims_since(winner, NOW + DAY) == 0


async def sweep_statements(sessionmaker: Sessions, engine: AsyncEngine, idle: int) -> list[int]:
    """Statements of the sweep that warns `idle` × 2 customers of two reps, then of the one
    three days later that returns them (the reps and their supervisor told)."""
    sup = await add_person(sessionmaker, 1, role=Role.supervisor)
    reps = [await add_person(sessionmaker, 2 + i, role=Role.rep, reports_to=sup.id) for i in (0, 1)]
    for n in range(idle):
        owner = reps[n % 2].id
        await add(sessionmaker, owner, f"Gone {n}", NOW - 40 * DAY)
        await add(sessionmaker, owner, f"Soon {n}", NOW - 28 * DAY)
    counts = []
    for at, messages in ((NOW, 2), (NOW + 3 * DAY, 3)):
        with statements(engine) as seen:
            async with SqlUnitOfWork(sessionmaker) as uow:
                assert await sweep_pool(uow, policy=Policy(), now=at) == messages
        counts.append(len(seen))
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert (await uow.pool.listed(None, 0, 8))[1] == 2 * idle
    return counts


@pytest.mark.parametrize("idle", [2, 40])
async def test_the_sweep_costs_the_same_statements_for_few_or_many(
    sessionmaker: Sessions, engine: AsyncEngine, idle: int
) -> None:
    """Set-based: people, candidates, one move, one warning claim per return day, the history
    in one executemany, the outbox in one — never a statement per customer."""
    assert max(await sweep_statements(sessionmaker, engine, idle)) <= SWEEP_STATEMENTS


async def test_an_unwarned_customer_is_not_moved(sessionmaker: Sessions) -> None:
    rep = await add_person(sessionmaker, 1, role=Role.rep)
    customer = await add(sessionmaker, rep.id, "Idle", NOW - 60 * DAY)
    async with SqlUnitOfWork(sessionmaker) as uow:
        last_day = date(2027, 1, 1)
        assert await uow.pool.to_pool([customer.id], last_day, NOW, NOW, warned_by=TODAY) == set()
        await uow.pool.claim_warnings({customer.id: TODAY})
        assert await uow.pool.to_pool([customer.id], last_day, NOW, NOW, warned_by=TODAY) == {
            customer.id
        }
