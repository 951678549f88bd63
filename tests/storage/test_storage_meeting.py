"""The meeting pack on a real database (SQLite and PostgreSQL): the training topic per manager
and week, the set-based reads it needs, and the Saturday message for 2 and for 10 reps in the
same statements. Saturday 2026-04-11, 08:30 in Shanghai: the meeting reports on the week of
Mon 04-06 and plans the week of Mon 04-13. Each rep's contract (`add_contract`, in force) has
5,000,000.00 due 04-01, nothing collected: 10 days overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from dbtools import NOW, Sessions, add_person, statements
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from test_storage_approvals import add_customer
from test_storage_collections import in_force
from test_storage_sweeps import empty

from bot.core.customers import VisitDraft
from bot.core.orders import DealStage
from bot.core.plans import PlanStatus
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases.routine import send_meeting_summaries
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

POLICY = Policy()
SUMMARY = datetime(2026, 4, 11, 0, 30, tzinfo=UTC)
THIS, NEXT = date(2026, 4, 6), date(2026, 4, 13)


async def rep_week(sessionmaker: Sessions, rep: int, manager: int, n: int) -> None:
    """This week: two planned visits, one done; next week: one key visit, submitted; an open
    deal and a contract in force with money overdue."""
    contract = await in_force(
        sessionmaker, {"rep": rep, "sup": manager, "mgr": manager, "sid": manager}, 1000 + n
    )
    other = await add_customer(sessionmaker, rep, f"Other {n}")
    async with SqlUnitOfWork(sessionmaker) as uow:
        done = await uow.plans.add(rep, THIS)
        await uow.plans.add_item(
            done.id, customer_id=contract.customer_id, day=THIS, purpose="Quote"
        )
        await uow.plans.add_item(done.id, customer_id=other, day=THIS, purpose="Demo")
        await uow.plans.save(replace(done, status=PlanStatus.approved, submitted_at=NOW))
        planned = await uow.plans.add(rep, NEXT)
        await uow.plans.add_item(planned.id, customer_id=other, day=NEXT, purpose="Sign")
        await uow.plans.save(
            replace(planned, status=PlanStatus.submitted, submitted_at=SUMMARY - timedelta(days=2))
        )
        draft = VisitDraft(
            contract.customer_id, "revisit", THIS + timedelta(days=2), "Agreed", "high"
        )
        await uow.visits.add(draft, rep_id=rep, now=NOW, distance_m=None, far=False)
        await uow.commit()


async def team(sessionmaker: Sessions, reps: int) -> int:
    manager = await add_person(sessionmaker, 900, role=Role.sales_manager)
    for n in range(reps):
        rep = await add_person(sessionmaker, 1000 + n, role=Role.rep, reports_to=manager.id)
        await rep_week(sessionmaker, rep.id, manager.id, n)
    return manager.id


async def summary_over(
    engine: AsyncEngine, sessionmaker: Sessions, reps: int
) -> tuple[int, int, list[str], dict[str, object]]:
    await empty(engine)
    manager = await team(sessionmaker, reps)
    with statements(engine) as seen:
        async with SqlUnitOfWork(sessionmaker) as uow:
            sent = await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)
    async with SqlUnitOfWork(sessionmaker) as uow:
        again = await send_meeting_summaries(uow, policy=POLICY, now=SUMMARY)
    async with sessionmaker() as session:
        (row,) = (await session.scalars(select(OutboxRow))).all()
    assert row.recipient_id == manager
    return sent, again, seen, row.params


async def test_the_message_for_ten_reps_runs_the_statements_of_the_one_for_two(
    engine: AsyncEngine, sessionmaker: Sessions
) -> None:
    """15 reads for the whole company: the people, next week's plans and their items, this
    week's plans and their items, the week's visits, the open deals, the contracts with money
    overdue (3: with their lines and instalments), their payments, deliveries (2) and
    deposits, the customers' names; then per manager 3: the claim, the topic, the message."""
    small_sent, small_again, small, small_params = await summary_over(engine, sessionmaker, 2)
    big_sent, big_again, big, params = await summary_over(engine, sessionmaker, 10)

    assert (small_sent, small_again) == (big_sent, big_again) == (1, 0)
    assert len(big) == len(small), big
    assert len(small) <= 18, small
    assert params["counts"] == {"submitted": 10, "late": 0, "missing": 0}
    assert (params["done"], params["planned"], params["deals"]) == (10, 20, 10)
    assert params["overdue"] == "50000000.00"
    rep = params["reps"][0]  # type: ignore[index]
    assert (rep["next"], rep["done"], rep["planned"], rep["days"]) == (1, 1, 2, 10)
    assert small_params["overdue"] == "10000000.00"


async def test_a_topic_is_kept_per_manager_and_week_changed_and_cleared(
    sessionmaker: Sessions,
) -> None:
    sam = await add_person(sessionmaker, 1, role=Role.sales_manager)
    fay = await add_person(sessionmaker, 2, role=Role.sales_manager)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.meeting_topics.set(sam.id, NEXT, "Objections", NOW)
        await uow.meeting_topics.set(sam.id, NEXT, "价格异议处理" * 20, NOW)  # 120 characters
        await uow.meeting_topics.set(fay.id, NEXT, "Credit", NOW)
        await uow.meeting_topics.set(fay.id, NEXT + timedelta(days=7), "Later", NOW)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.meeting_topics.get(sam.id, NEXT) == "价格异议处理" * 20
        assert await uow.meeting_topics.get(fay.id, NEXT) == "Credit"
        assert await uow.meeting_topics.get(sam.id, THIS) is None
        await uow.meeting_topics.set(fay.id, NEXT, None, NOW)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.meeting_topics.get(fay.id, NEXT) is None
        assert await uow.meeting_topics.get(fay.id, NEXT + timedelta(days=7)) == "Later"


async def test_visits_of_many_reps_and_their_open_deals_in_one_read_each(
    engine: AsyncEngine, sessionmaker: Sessions
) -> None:
    manager = await team(sessionmaker, 3)
    async with SqlUnitOfWork(sessionmaker) as uow:
        reps = [p.id for p in await uow.people.all() if p.role is Role.rep]
        lost = await uow.deals.open(customer_id=1, owner_id=reps[0], request_id=None, now=NOW)
        await uow.deals.move(lost.id, DealStage.negotiating, DealStage.lost, NOW)
        await uow.commit()
    with statements(engine) as seen:
        async with SqlUnitOfWork(sessionmaker) as uow:
            visits = await uow.visits.of_reps_between(reps, THIS, THIS + timedelta(days=6))
            none = await uow.visits.of_reps_between(reps, NEXT, NEXT + timedelta(days=6))
            deals = await uow.deals.open_of_owners([*reps, manager])
            plans = await uow.plans.of_reps(reps, THIS)

    assert sorted(v.rep_id for v in visits) == sorted(reps)
    assert none == []
    assert sorted(d.owner_id for d in deals) == sorted(reps)  # the lost one left out
    assert all(d.stage is DealStage.negotiating for d in deals)
    assert sorted(len(p.items) for p in plans) == [2, 2, 2]
    assert [p.items[0].purpose for p in plans] == ["Quote"] * 3  # by day, then as added
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 5, seen
