"""Monthly targets' clock and progress: the rep's deadline to confirm (policy working days), the
one reminder on the deadline's morning and the manager told at the deadline — each sent once
however often the sweep runs — and targets versus this month so far, for the rep and the team."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from approval_fakes import MINUTE, local_utc, make_terms
from fakes import RAY, ROB, SAM, SID, SUE
from routine_fakes import RoutineUnitOfWork, routine_world

from bot.core.approvals import RequestStatus
from bot.core.customers import VisitDraft
from bot.core.plans import MonthlyTarget
from bot.core.policy import Policy, Targets
from bot.core.targets import (
    TargetNudge,
    TargetNudgeClaim,
    TargetNudgeKind,
    confirm_by,
    month_span,
    plan_target_nudge,
    reminder_at,
)
from bot.core.usecases.targets import (
    TargetFigures,
    confirm_target,
    my_progress,
    set_target,
    sweep_targets,
    team_progress,
)

POLICY = Policy()  # Mon–Sat, 09:00–18:00, quiet 21:00–08:00, Asia/Shanghai
WED_10 = local_utc(4, 10)
FRI_09, FRI_18 = local_utc(6, 9), local_utc(6, 18)
MARCH = date(2026, 3, 1)


# --- the deadline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("set_at", "days", "due"),
    [
        pytest.param(WED_10, 2, FRI_18, id="wednesday-to-friday"),
        pytest.param(local_utc(4, 20), 2, FRI_18, id="after-work-counts-the-same-day"),
        pytest.param(local_utc(4, 0, 5), 2, FRI_18, id="just-after-midnight"),
        pytest.param(local_utc(6, 10), 2, local_utc(9, 18), id="friday-skips-sunday"),
        pytest.param(local_utc(8, 10), 2, local_utc(10, 18), id="set-on-sunday"),
        pytest.param(WED_10, 1, local_utc(5, 18), id="one-day"),
        pytest.param(WED_10, 5, local_utc(10, 18), id="five-days-over-a-sunday"),
    ],
)
def test_a_target_is_due_after_the_policy_s_working_days_at_the_end_of_work(
    set_at: datetime, days: int, due: datetime
) -> None:
    policy = replace(POLICY, targets=Targets(confirm_within_days=days))

    assert confirm_by(set_at, policy) == due


@pytest.mark.parametrize(
    ("policy", "remind"),
    [
        pytest.param(POLICY, FRI_09, id="work-start"),
        pytest.param(replace(POLICY, quiet_end=time(10, 0)), local_utc(6, 10), id="quiet-later"),
    ],
)
def test_the_reminder_is_the_deadline_day_s_morning(policy: Policy, remind: datetime) -> None:
    assert reminder_at(FRI_18, policy) == remind


def unconfirmed(next_at: datetime | None = FRI_09) -> MonthlyTarget:
    return MonthlyTarget(
        1,
        ROB,
        MARCH,
        Decimal(100),
        Decimal(0),
        SUE,
        WED_10,
        confirm_by=FRI_18,
        next_nudge_at=next_at,
    )


@pytest.mark.parametrize(
    ("now", "nudge"),
    [
        pytest.param(FRI_09, TargetNudge(TargetNudgeKind.remind, FRI_18), id="morning"),
        pytest.param(
            FRI_18 - MINUTE, TargetNudge(TargetNudgeKind.remind, FRI_18), id="a-minute-before"
        ),
        pytest.param(FRI_18, TargetNudge(TargetNudgeKind.overdue, None), id="at-the-deadline"),
        pytest.param(
            local_utc(6, 22),
            TargetNudge(TargetNudgeKind.postpone, local_utc(7, 9)),
            id="quiet-hours",
        ),
        pytest.param(
            local_utc(8, 10),
            TargetNudge(TargetNudgeKind.postpone, local_utc(9, 9)),
            id="sunday",
        ),
    ],
)
def test_what_a_due_target_needs_now(now: datetime, nudge: TargetNudge) -> None:
    assert plan_target_nudge(unconfirmed(), now, POLICY) == nudge


# --- the sweep ------------------------------------------------------------------------------


async def targeted(uow: RoutineUnitOfWork, rep: int = ROB, by: int = SUE) -> MonthlyTarget:
    """Rob's March target, set by Sue on Wednesday 4 March 10:00 (due Friday 18:00)."""
    target = await set_target(
        uow,
        actor_id=by,
        rep_id=rep,
        month=MARCH,
        figures=TargetFigures(Decimal(500_000), Decimal(40), Decimal(300_000)),
        policy=POLICY,
        now=WED_10,
    )
    uow.clear_outbox()
    uow.audit.entries.clear()
    return target


async def sweep(uow: RoutineUnitOfWork, now: datetime) -> int:
    return await sweep_targets(uow, policy=POLICY, now=now)


async def test_the_rep_is_reminded_once_on_the_deadline_s_morning() -> None:
    uow = routine_world()
    target = await targeted(uow)

    assert await sweep(uow, FRI_09 - MINUTE) == 0
    assert await sweep(uow, FRI_09) == 1
    assert await sweep(uow, FRI_09) == 0, "the same sweep again sends nothing"
    assert await sweep(uow, FRI_18 - MINUTE) == 0

    assert uow.queued() == [(ROB, "target_reminder")]
    assert uow.last_to(ROB, "target_reminder").params == {
        "target_id": target.id,
        "month": "2026-03",
        "sales": "500000",
        "quantity": "40",
        "collection": "300000",
        "due": FRI_18.isoformat(),
        "rep": "Rob",
    }
    assert uow.targets[target.id].next_nudge_at == FRI_18
    assert uow.committed


async def test_at_the_deadline_the_manager_who_set_it_is_told_once() -> None:
    uow = routine_world()
    target = await targeted(uow)
    await sweep(uow, FRI_09)
    uow.clear_outbox()

    assert await sweep(uow, FRI_18) == 1
    assert await sweep(uow, FRI_18) == 0
    assert await sweep(uow, FRI_18 + timedelta(days=3)) == 0

    assert uow.queued() == [(SUE, "target_unconfirmed")]
    assert uow.last_to(SUE, "target_unconfirmed").params["rep"] == "Rob"
    assert uow.audit.actions() == ["target_unconfirmed"]
    assert uow.targets[target.id].next_nudge_at is None
    assert uow.targets[target.id].confirmed_at is None, "the rep may still confirm it"


async def test_a_sweep_after_the_deadline_tells_the_manager_without_a_stale_reminder() -> None:
    uow = routine_world()
    await targeted(uow)

    assert await sweep(uow, FRI_18 + MINUTE) == 1

    assert uow.queued() == [(SUE, "target_unconfirmed")]


async def test_a_confirmed_target_is_not_nudged() -> None:
    uow = routine_world()
    target = await targeted(uow)
    await confirm_target(uow, actor_id=ROB, target_id=target.id, now=WED_10 + MINUTE)
    uow.clear_outbox()

    assert await sweep(uow, FRI_09) == 0
    assert await sweep(uow, FRI_18) == 0
    assert uow.queued() == []


async def test_in_quiet_hours_the_nudge_waits_for_the_morning_and_sends_nothing() -> None:
    uow = routine_world()
    target = await targeted(uow)
    uow.targets[target.id].next_nudge_at = local_utc(5, 21)  # as if the policy said so
    uow.baseline()

    assert await sweep(uow, local_utc(5, 22)) == 0
    assert uow.targets[target.id].next_nudge_at == local_utc(6, 9)
    assert await sweep(uow, local_utc(6, 9)) == 1
    assert uow.queued() == [(ROB, "target_reminder")]


async def test_a_rep_who_left_is_not_reminded_but_the_nudge_is_used_up() -> None:
    uow = routine_world()
    target = await targeted(uow)
    uow.people[ROB].active = False
    uow.baseline()

    assert await sweep(uow, FRI_09) == 0
    assert uow.targets[target.id].next_nudge_at == FRI_18


async def test_a_stale_read_claims_nothing() -> None:
    """Two sweeps read the same due target; the one that claims second sends nothing."""
    uow = routine_world()
    target = await targeted(uow)
    (seen,) = await uow.targets.due_for_nudge(FRI_09)
    assert await sweep(uow, FRI_09) == 1

    claim = TargetNudgeClaim(target.id, seen.next_nudge_at or FRI_09, FRI_18)
    assert await uow.targets.claim_nudges([claim]) == set()


# --- progress -------------------------------------------------------------------------------


async def approved(
    uow: RoutineUnitOfWork, rep: int, amount: str, discount: str | None, closed: datetime
) -> None:
    terms = make_terms(amount=Decimal(amount), discount=Decimal(discount) if discount else None)
    request = await uow.requests.add(
        kind="special_terms", requester_id=rep, terms=terms, now=closed
    )
    await uow.requests.save(replace(request, status=RequestStatus.approved, closed_at=closed))


async def visited(uow: RoutineUnitOfWork, rep: int, on: date) -> None:
    draft = VisitDraft(1, "revisit", on, "Visited", "low")
    await uow.visits.add(draft, rep_id=rep, now=WED_10, distance_m=None, far=False)


async def test_the_team_sees_each_rep_s_targets_beside_this_month_so_far() -> None:
    uow = routine_world()
    await targeted(uow)
    await visited(uow, ROB, date(2026, 3, 1))
    await visited(uow, ROB, date(2026, 3, 31))
    await visited(uow, ROB, date(2026, 2, 28))  # last month
    await visited(uow, RAY, date(2026, 3, 3))
    await approved(uow, ROB, "100000", "12.5", local_utc(2, 10))  # net 87,500.00
    await approved(uow, ROB, "0.03", "50", local_utc(31, 23, 59))  # 0.015 → 0.02, half up
    await approved(uow, ROB, "5000", None, local_utc(1, 0) - MINUTE)  # February, local time
    await approved(uow, RAY, "9000", None, local_utc(4, 10))
    pending = await uow.requests.add(
        kind="special_terms", requester_id=ROB, terms=make_terms(), now=WED_10
    )
    assert pending.status is RequestStatus.pending
    uow.baseline()

    team = await team_progress(uow, actor_id=SAM, policy=POLICY, now=WED_10)

    assert [p.rep.full_name for p in team] == ["Ray", "Rob"]
    ray, rob = team
    assert (rob.visits, rob.sales, rob.this_month is not None) == (2, Decimal("87500.02"), True)
    assert rob.quantity == 2 * make_terms().quantity
    assert rob.sales_completion == 17  # 87,500.02 of 500,000 rounded down
    assert rob.next_month is None
    assert (ray.visits, ray.sales, ray.this_month, ray.sales_completion) == (
        1,
        Decimal(9000),
        None,
        None,
    )
    assert [
        p.rep.id for p in await team_progress(uow, actor_id=SID, policy=POLICY, now=WED_10)
    ] == [RAY]


async def test_the_rep_sees_their_own_this_month_and_next() -> None:
    uow = routine_world()
    await targeted(uow)
    april = await set_target(
        uow,
        actor_id=SUE,
        rep_id=ROB,
        month=date(2026, 4, 1),
        figures=TargetFigures(Decimal(1), Decimal(0), Decimal(0)),
        policy=POLICY,
        now=WED_10,
    )

    (mine,) = await my_progress(uow, actor_id=ROB, policy=POLICY, now=WED_10)

    assert mine.rep.id == ROB
    assert mine.this_month is not None
    assert mine.this_month.sales == Decimal(500_000)
    assert mine.next_month == april
    assert (mine.visits, mine.sales) == (0, Decimal(0))


def test_a_month_is_its_local_calendar_month() -> None:
    span = month_span(date(2026, 2, 15), POLICY)

    assert (span.first_day, span.last_day) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (span.starts_at, span.ends_at) == (local_utc(1, 0, month=2), local_utc(1, 0))
