"""The weekly rhythm's repositories on a migrated database (SQLite and PostgreSQL): weekly plans
and their items, monthly targets with the rep's confirmation, and the daily work log."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dbtools import NOW, Sessions, add_person, count, statements
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.customers import VisitDraft
from bot.core.plans import MonthlyTarget, PlanItem, PlanStatus, WeeklyPlan
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.targets import Sale, TargetNudgeClaim, month_span
from storage.tables import (
    ContractLineRow,
    ContractRow,
    DealRow,
    PlanItemRow,
    PlanRow,
    TargetRow,
    WorkLogRow,
)
from storage.uow import SqlUnitOfWork

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = date(2026, 3, 9)  # a Monday
NEXT = WEEK + timedelta(days=7)
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


@pytest.fixture
async def org(sessionmaker: Sessions) -> dict[str, int]:
    """mgr with two reps, and two customers of rep's: acme and beta."""
    mgr = await add_person(sessionmaker, 1, role=Role.sales_manager)
    rep = await add_person(sessionmaker, 2, role=Role.rep, reports_to=mgr.id)
    ann = await add_person(sessionmaker, 3, role=Role.rep, reports_to=mgr.id)
    async with SqlUnitOfWork(sessionmaker) as uow:
        acme = await uow.customers.add(name="Acme", owner_id=rep.id, phone=None, now=NOW)
        beta = await uow.customers.add(name="Beta", owner_id=rep.id, phone=None, now=NOW)
        await uow.commit()
    return {"mgr": mgr.id, "rep": rep.id, "ann": ann.id, "acme": acme.id, "beta": beta.id}


async def add_plan(sessionmaker: Sessions, rep_id: int, week: date = WEEK) -> WeeklyPlan:
    async with SqlUnitOfWork(sessionmaker) as uow:
        plan = await uow.plans.add(rep_id, week)
        await uow.commit()
    return plan


async def add_items(
    sessionmaker: Sessions, plan_id: int, *items: tuple[int, date, str]
) -> list[PlanItem]:
    async with SqlUnitOfWork(sessionmaker) as uow:
        added = [
            await uow.plans.add_item(plan_id, customer_id=c, day=d, purpose=p) for c, d, p in items
        ]
        await uow.commit()
    return added


async def get_plan(sessionmaker: Sessions, plan_id: int) -> WeeklyPlan:
    async with SqlUnitOfWork(sessionmaker) as uow:
        found = await uow.plans.get(plan_id)
    assert found is not None
    return found


# --- plans ----------------------------------------------------------------------------------


async def test_a_new_plan_is_an_empty_draft(sessionmaker: Sessions, org: dict[str, int]) -> None:
    added = await add_plan(sessionmaker, org["rep"])

    assert added == WeeklyPlan(id=added.id, rep_id=org["rep"], week=WEEK, status=PlanStatus.draft)
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.plans.get(added.id) == added
        assert await uow.plans.for_week(org["rep"], WEEK) == added
        assert await uow.plans.for_week(org["rep"], NEXT) is None
        assert await uow.plans.for_week(org["ann"], WEEK) is None
        assert await uow.plans.get(added.id + 100) is None
    assert added.items == []
    assert added.last_submitted is None
    assert not added.submitted


SNAPSHOT: dict[str, Any] = {
    "goals": "拿下 Acme 的订单 — 100%",
    "items": [[7, "2026-03-09", "报价"], [8, "2026-03-10", 'say "hi" \\ ok']],
}


@pytest.mark.parametrize("status", list(PlanStatus))
async def test_save_keeps_every_field(
    sessionmaker: Sessions, org: dict[str, int], status: PlanStatus
) -> None:
    plan = await add_plan(sessionmaker, org["rep"])
    other = await add_plan(sessionmaker, org["ann"])
    submitted = datetime(2026, 3, 6, 17, 59, 59, 999999, tzinfo=SHANGHAI)
    changed = replace(
        plan,
        status=status,
        goals="拿下 Acme 的订单\nand two new prospects",
        submitted_at=submitted,
        reviewed_by=org["mgr"],
        reviewed_at=NOW + HOUR,
        comment="Add Beta on Tuesday",
        last_submitted=SNAPSHOT,
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.plans.save(changed)
        await uow.commit()

    got = await get_plan(sessionmaker, plan.id)
    assert got == changed
    assert got.status is status
    assert got.last_submitted == SNAPSHOT  # the JSON came back as it went in
    assert got.submitted_at is not None
    assert got.submitted_at.tzinfo is UTC
    assert got.submitted_at == datetime(2026, 3, 6, 9, 59, 59, 999999, tzinfo=UTC)
    assert (got.rep_id, got.week) == (org["rep"], WEEK)  # save never moves a plan
    assert await get_plan(sessionmaker, other.id) == other


async def test_save_can_clear_what_it_set(sessionmaker: Sessions, org: dict[str, int]) -> None:
    plan = await add_plan(sessionmaker, org["rep"])
    full = replace(
        plan,
        status=PlanStatus.returned,
        goals="g",
        submitted_at=NOW,
        reviewed_by=org["mgr"],
        reviewed_at=NOW,
        comment="c",
        last_submitted={"goals": "g", "items": []},
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.plans.save(full)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.plans.save(replace(plan, status=PlanStatus.draft))
        await uow.commit()

    got = await get_plan(sessionmaker, plan.id)
    assert got == replace(plan, status=PlanStatus.draft)
    assert got.last_submitted is None
    assert got.goals is None


async def test_items_come_with_their_plan_by_day_then_as_added(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    acme, beta = org["acme"], org["beta"]
    plan = await add_plan(sessionmaker, org["rep"])
    wed, mon, mon_again, fri = await add_items(
        sessionmaker,
        plan.id,
        (acme, WEEK + 2 * DAY, "报价"),
        (beta, WEEK, "first visit"),
        (acme, WEEK, "bring samples"),
        (beta, WEEK + 4 * DAY, "collect payment"),
    )

    assert wed == PlanItem(wed.id, plan.id, acme, WEEK + 2 * DAY, "报价")
    got = await get_plan(sessionmaker, plan.id)
    assert got.items == [mon, mon_again, wed, fri]
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert (await uow.plans.for_week(org["rep"], WEEK)) == got
        (of_rep,) = await uow.plans.of_reps([org["rep"]], WEEK)
    assert of_rep == got


async def test_remove_item_takes_only_that_item_of_that_plan(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    plan = await add_plan(sessionmaker, org["rep"])
    other = await add_plan(sessionmaker, org["ann"])
    first, second = await add_items(
        sessionmaker, plan.id, (org["acme"], WEEK, "a"), (org["beta"], WEEK + DAY, "b")
    )
    (others,) = await add_items(sessionmaker, other.id, (org["acme"], WEEK, "theirs"))

    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.plans.remove_item(plan.id, others.id)  # not this plan's: nothing happens
        await uow.plans.remove_item(plan.id, first.id)
        await uow.plans.remove_item(plan.id, first.id)  # twice: still fine
        await uow.commit()

    assert (await get_plan(sessionmaker, plan.id)).items == [second]
    assert (await get_plan(sessionmaker, other.id)).items == [others]
    assert await count(sessionmaker, PlanItemRow) == 2


async def test_one_plan_per_rep_and_week(sessionmaker: Sessions, org: dict[str, int]) -> None:
    await add_plan(sessionmaker, org["rep"])
    await add_plan(sessionmaker, org["rep"], NEXT)
    await add_plan(sessionmaker, org["ann"])

    with pytest.raises(IntegrityError):
        await add_plan(sessionmaker, org["rep"])

    assert await count(sessionmaker, PlanRow) == 3


async def test_of_reps_gives_the_week_plans_of_the_reps_asked_for(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep, ann, mgr = org["rep"], org["ann"], org["mgr"]
    reps_plan = await add_plan(sessionmaker, rep)
    anns_plan = await add_plan(sessionmaker, ann)
    await add_plan(sessionmaker, rep, NEXT)
    await add_plan(sessionmaker, mgr)
    (item,) = await add_items(sessionmaker, anns_plan.id, (org["beta"], WEEK, "b"))

    async with SqlUnitOfWork(sessionmaker) as uow:
        both = {p.rep_id: p for p in await uow.plans.of_reps([rep, ann], WEEK)}
        just_ann = await uow.plans.of_reps([ann], WEEK)
        next_week = await uow.plans.of_reps([rep, ann], NEXT)
        assert await uow.plans.of_reps([], WEEK) == []
        assert await uow.plans.of_reps([rep, ann], NEXT + timedelta(days=7)) == []

    assert both == {rep: reps_plan, ann: replace(anns_plan, items=[item])}
    assert [p.id for p in just_ann] == [anns_plan.id]
    assert [(p.rep_id, p.week) for p in next_week] == [(rep, NEXT)]


# --- targets --------------------------------------------------------------------------------


async def set_target(
    sessionmaker: Sessions,
    rep_id: int,
    set_by: int,
    month: date = MARCH,
    sales: str = "1234567.89",
    collection: str = "0.10",
    now: datetime = NOW,
    **more: Any,
) -> MonthlyTarget:
    async with SqlUnitOfWork(sessionmaker) as uow:
        target = await uow.targets.assign(
            MonthlyTarget(
                0, rep_id, month, Decimal(sales), Decimal(collection), set_by, now, **more
            )
        )
        await uow.commit()
    return target


async def test_a_target_reads_back_exactly(sessionmaker: Sessions, org: dict[str, int]) -> None:
    set_at = datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI)
    target = await set_target(sessionmaker, org["rep"], org["mgr"], now=set_at)

    assert target == MonthlyTarget(
        target.id, org["rep"], MARCH, Decimal("1234567.89"), Decimal("0.10"), org["mgr"], set_at
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.targets.get(org["rep"], MARCH)
        assert await uow.targets.by_id(target.id) == got
        assert await uow.targets.by_id(target.id + 100) is None
        assert await uow.targets.get(org["rep"], APRIL) is None
        assert await uow.targets.get(org["ann"], MARCH) is None
    assert got == target
    assert (str(got.sales), str(got.collection)) == ("1234567.89", "0.10")
    assert got.set_at == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert got.set_at.tzinfo is UTC
    assert got.confirmed_at is None


async def test_setting_a_target_again_replaces_it_and_asks_for_confirmation_again(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    first = await set_target(sessionmaker, org["rep"], org["mgr"])
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.targets.confirm(first.id, NOW + HOUR)
        await uow.commit()
    april = await set_target(sessionmaker, org["rep"], org["mgr"], month=APRIL, sales="5")
    anns = await set_target(sessionmaker, org["ann"], org["mgr"], sales="7")

    again = await set_target(
        sessionmaker, org["rep"], org["ann"], sales="2000000.00", collection="0", now=NOW + DAY
    )

    assert again == MonthlyTarget(
        first.id,
        org["rep"],
        MARCH,
        Decimal("2000000.00"),
        Decimal("0"),
        org["ann"],
        NOW + DAY,
        confirmed_at=None,
    )
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.targets.get(org["rep"], MARCH) == again
        assert await uow.targets.get(org["rep"], APRIL) == april
        assert await uow.targets.get(org["ann"], MARCH) == anns
    assert len({first.id, april.id, anns.id}) == 3
    assert await count(sessionmaker, TargetRow) == 3


async def test_a_target_is_confirmed_once(sessionmaker: Sessions, org: dict[str, int]) -> None:
    target = await set_target(sessionmaker, org["rep"], org["mgr"])
    confirmed = datetime(2026, 3, 2, 20, 0, tzinfo=SHANGHAI)

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.targets.confirm(target.id, confirmed)
        assert not await uow.targets.confirm(target.id, confirmed + HOUR)
        assert not await uow.targets.confirm(target.id + 100, confirmed)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert not await uow.targets.confirm(target.id, confirmed + DAY)
        got = await uow.targets.by_id(target.id)
    assert got is not None
    assert got.confirmed_at == confirmed  # the first confirmation's time stays
    assert got.confirmed_at.tzinfo is UTC


async def test_concurrent_confirmations_have_one_winner(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    target = await set_target(sessionmaker, org["rep"], org["mgr"])

    async def confirm(i: int) -> bool:
        async with SqlUnitOfWork(sessionmaker) as uow:
            won = await uow.targets.confirm(target.id, NOW + i * HOUR)
            await uow.commit()
            return won

    results = await asyncio.gather(*(confirm(i) for i in range(5)))

    assert results.count(True) == 1
    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.targets.by_id(target.id)
    assert got is not None
    assert got.confirmed_at == NOW + results.index(True) * HOUR


async def test_quantity_deadline_and_nudge_read_back_and_confirming_ends_the_nudges(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    due, remind = NOW + 2 * DAY, NOW + DAY
    target = await set_target(
        sessionmaker,
        org["rep"],
        org["mgr"],
        quantity=Decimal("12.345"),
        confirm_by=due,
        next_nudge_at=remind,
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.targets.by_id(target.id)
        assert got == target
        assert got is not None
        assert (got.quantity, got.confirm_by, got.next_nudge_at) == (
            Decimal("12.345"),
            due,
            remind,
        )
        assert await uow.targets.confirm(target.id, NOW)
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.targets.by_id(target.id)
    assert got is not None
    assert got.next_nudge_at is None


async def test_due_targets_are_claimed_once_by_the_nudge_time_read(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    remind = NOW + HOUR
    due = await set_target(sessionmaker, org["rep"], org["mgr"], next_nudge_at=remind)
    await set_target(sessionmaker, org["ann"], org["mgr"], next_nudge_at=NOW + DAY)  # later
    done = await set_target(sessionmaker, org["rep"], org["mgr"], month=APRIL, next_nudge_at=NOW)
    await set_target(sessionmaker, org["ann"], org["mgr"], month=APRIL)  # never nudged
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.targets.confirm(done.id, NOW)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [t.id for t in await uow.targets.due_for_nudge(remind)] == [due.id]
        claims = [TargetNudgeClaim(due.id, remind, NOW + DAY)]
        assert await uow.targets.claim_nudges(claims) == {due.id}
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.targets.claim_nudges(claims) == set(), "read before the first claim"
        assert await uow.targets.due_for_nudge(remind) == []
        final = [TargetNudgeClaim(due.id, NOW + DAY, None)]
        assert await uow.targets.claim_nudges(final) == {due.id}
        await uow.commit()
    async with SqlUnitOfWork(sessionmaker) as uow:
        got = await uow.targets.by_id(due.id)
    assert got is not None
    assert got.next_nudge_at is None


async def add_visit(sessionmaker: Sessions, rep: int, customer: int, on: date) -> None:
    async with SqlUnitOfWork(sessionmaker) as uow:
        draft = VisitDraft(customer, "revisit", on, "Visited", "low")
        await uow.visits.add(draft, rep_id=rep, now=NOW, distance_m=None, far=False)
        await uow.commit()


async def sign(
    sessionmaker: Sessions,
    rep: int,
    customer: int,
    cosigned_at: datetime = NOW,
    lines: tuple[tuple[str, str, str | None], ...] = (("1", "1.00", None),),
    status: str = "in_force",
) -> None:
    """A contract of `rep`'s, co-signed by finance at `cosigned_at`, with its lines (quantity,
    unit price, discount %)."""
    async with sessionmaker() as session:
        deal = DealRow(
            customer_id=customer, owner_id=rep, stage="contracted", opened_at=NOW, stage_at=NOW
        )
        session.add(deal)
        await session.flush()
        contract = ContractRow(
            deal_id=deal.id,
            customer_id=customer,
            owner_id=rep,
            filed_by=rep,
            status=status,
            deposit=Decimal(0),
            delivery_date=date(2026, 4, 30),
            created_at=NOW,
            cosigned_at=cosigned_at,
        )
        session.add(contract)
        await session.flush()
        for position, (quantity, price, discount) in enumerate(lines):
            session.add(
                ContractLineRow(
                    contract_id=contract.id,
                    position=position,
                    product="Pipes",
                    quantity=Decimal(quantity),
                    unit_price=Decimal(price),
                    discount=None if discount is None else Decimal(discount),
                )
            )
        await session.commit()


async def test_actuals_of_a_team_are_one_statement_whatever_its_size(
    engine: AsyncEngine, sessionmaker: Sessions, org: dict[str, int]
) -> None:
    """The progress views read the whole team's month at once: visit counts grouped by rep
    and the lines of the contracts finance co-signed in the month (in force or closed), exact
    decimals, in one UNION ALL."""
    rep, ann, acme = org["rep"], org["ann"], org["acme"]
    march = month_span(MARCH, Policy())
    for on in (date(2026, 3, 1), date(2026, 3, 31), date(2026, 2, 28)):
        await add_visit(sessionmaker, rep, acme, on)
    await sign(sessionmaker, rep, acme, lines=(("3", "411522.63", "12.5"), ("0.125", "8.00", None)))
    await sign(sessionmaker, rep, acme, status="closed")
    await sign(sessionmaker, rep, acme, cosigned_at=march.starts_at - HOUR)  # February
    await sign(sessionmaker, ann, acme, cosigned_at=march.ends_at)  # April
    await sign(sessionmaker, ann, acme, status="awaiting_cosign")  # not co-signed: no sale
    others = [(await add_person(sessionmaker, 10 + i, role=Role.rep)).id for i in range(20)]

    with statements(engine) as seen:
        async with SqlUnitOfWork(sessionmaker) as uow:
            alone = await uow.targets.actuals([rep], march)
    with statements(engine) as seen_many:
        async with SqlUnitOfWork(sessionmaker) as uow:
            team = await uow.targets.actuals([rep, ann, *others], march)

    assert alone.visits == team.visits == {rep: 2}
    assert sorted(alone.sales, key=repr) == sorted(team.sales, key=repr)
    assert sorted(alone.sales, key=repr) == sorted(
        [
            Sale(rep, Decimal(3), Decimal("1234567.89"), Decimal("12.5")),
            Sale(rep, Decimal("0.125"), Decimal("1.000"), Decimal(0)),
            Sale(rep, Decimal(1), Decimal("1.00"), Decimal(0)),
        ],
        key=repr,
    )
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, seen
    assert len(seen_many) == len(seen), seen_many


# --- work log -------------------------------------------------------------------------------


async def test_a_work_log_note_is_written_then_overwritten(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    rep, ann = org["rep"], org["ann"]
    day = date(2026, 3, 2)

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.work_logs.note(rep, day) is None
        await uow.work_logs.set_note(rep, day, "拜访了 Acme", NOW)
        await uow.work_logs.set_note(ann, day, "ann's", NOW)
        await uow.work_logs.set_note(rep, day + DAY, "tomorrow's", NOW)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.work_logs.note(rep, day) == "拜访了 Acme"
        await uow.work_logs.set_note(rep, day, "Visited Acme, then Beta", NOW + HOUR)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.work_logs.note(rep, day) == "Visited Acme, then Beta"
        assert await uow.work_logs.note(ann, day) == "ann's"
        assert await uow.work_logs.note(rep, day + DAY) == "tomorrow's"
        assert await uow.work_logs.note(rep, day - DAY) is None
    async with sessionmaker() as session:
        stored = await session.get(WorkLogRow, (rep, day))
    assert stored is not None
    assert stored.updated_at == NOW + HOUR
    assert await count(sessionmaker, WorkLogRow) == 3


# --- the unit of work -----------------------------------------------------------------------


async def test_leaving_without_commit_forgets_plans_targets_and_notes(
    sessionmaker: Sessions, org: dict[str, int]
) -> None:
    kept = await add_plan(sessionmaker, org["rep"])
    target = await set_target(sessionmaker, org["rep"], org["mgr"])

    async with SqlUnitOfWork(sessionmaker) as uow:
        dropped = await uow.plans.add(org["rep"], NEXT)
        await uow.plans.add_item(dropped.id, customer_id=org["acme"], day=NEXT, purpose="x")
        await uow.plans.add_item(kept.id, customer_id=org["beta"], day=WEEK, purpose="y")
        await uow.plans.save(replace(kept, status=PlanStatus.submitted, submitted_at=NOW))
        await uow.targets.assign(
            MonthlyTarget(0, org["rep"], MARCH, Decimal(1), Decimal(1), org["mgr"], NOW + DAY)
        )
        assert await uow.targets.confirm(target.id, NOW)
        await uow.work_logs.set_note(org["rep"], date(2026, 3, 2), "gone", NOW)
        # visible inside the unit of work …
        assert (await uow.plans.for_week(org["rep"], NEXT)) is not None
        assert await uow.work_logs.note(org["rep"], date(2026, 3, 2)) == "gone"
        # … and gone after it: no commit

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.plans.for_week(org["rep"], NEXT) is None
        assert await uow.plans.get(kept.id) == kept
        assert await uow.targets.by_id(target.id) == target
        assert await uow.work_logs.note(org["rep"], date(2026, 3, 2)) is None
    assert await count(sessionmaker, PlanRow) == 1
    assert await count(sessionmaker, PlanItemRow) == 0
    assert await count(sessionmaker, WorkLogRow) == 0
