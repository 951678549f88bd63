"""The monthly collection analysis as managers get it: pushed on the first working day, once,
to each manager for their own scope; on demand for last month or this month."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fakes import ACE, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE, make_person
from follow_on_world import contract_world
from refusals import assert_refused
from routine_fakes import RoutineUnitOfWork, make_customer

from bot.core.calendar import MONTHLY_CATCH_UP_DAYS
from bot.core.contracts import ContractStatus
from bot.core.errors import NotAllowed
from bot.core.orders import PaymentMethod
from bot.core.payments import Payment
from bot.core.plans import MonthlyTarget
from bot.core.policy import Policy
from bot.core.targets import Actuals, progress_of
from bot.core.usecases.collection_report import (
    collection_report,
    send_collection_analysis,
)

D = Decimal
POLICY = Policy()
FIRST_WORKING_DAY = datetime(2027, 1, 1, 2, tzinfo=UTC)  # Friday 10:00 in Shanghai
NEXT_DAY = datetime(2027, 1, 2, 2, tzinfo=UTC)


async def december_world() -> RoutineUnitOfWork:
    """Rob's contract (deposit 3,000 received, 4,000 due 12-01, 3,000 due 01-01) paid 1,000 on
    12-10; Ray's copy of it for Zeta Ltd, on a deal without a deposit, paid nothing."""
    uow, contract_id = await contract_world()
    robs = uow.contracts.rows[contract_id]
    uow.contracts.rows[2] = replace(robs, id=2, owner_id=RAY, customer_id=2, deal_id=99)
    uow.customers.rows[2] = make_customer(2, RAY, "Zeta Ltd")
    uow.payments.rows.append(
        Payment(
            1,
            contract_id,
            Decimal(1000),
            date(2026, 12, 10),
            PaymentMethod.cash,
            None,
            ACE,
            FIRST_WORKING_DAY,
        )
    )
    uow.baseline()
    return uow


def _params(uow: RoutineUnitOfWork, person_id: int) -> dict[str, object]:
    (sent,) = [n for n in uow.outbox.sent_to(person_id) if n.template == "collection_analysis"]
    return sent.params


def _readers(uow: RoutineUnitOfWork) -> list[int]:
    """Who got the analysis's text (each also gets its chart)."""
    return [
        q.notification.recipient_id
        for q in uow.outbox.queued
        if q.notification.template == "collection_analysis"
    ]


def _reps(params: dict[str, object]) -> list[str]:
    reps = params["reps"]
    assert isinstance(reps, dict)
    return [r["name"] for r in reps["top"]]


async def test_on_the_first_working_day_each_manager_gets_last_month_once() -> None:
    uow = await december_world()
    sent = await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    assert sent == 6
    assert sorted(_readers(uow)) == sorted([SUE, SID, SAM, MIA, GUS, FAY])
    assert uow.committed == 1
    again = await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    assert again == 0
    assert len(_readers(uow)) == 6


async def test_each_reader_gets_the_text_then_its_chart_drawn_from_the_same_figures() -> None:
    uow = await december_world()
    await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    for person_id in (SUE, SID, SAM, MIA, GUS, FAY):
        text, chart = uow.outbox.sent_to(person_id)
        assert (text.template, chart.template) == ("collection_analysis", "collection_chart")
        assert chart.params == text.params


async def test_the_figures_of_the_company() -> None:
    uow = await december_world()
    await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    params = _params(uow, GUS)
    assert params["month"] == "2026-12"
    assert params["closed"] is True
    total = params["total"]
    assert isinstance(total, dict)
    # Rob: 4,000 due, 1,000 paid; Ray: 4,000 due (the unpaid deposit is paid first), nothing paid
    assert (total["due"], total["applied"], total["received"]) == ("8000", "1000", "1000")
    assert total["rate"] == "12.50"
    # on 01-01 both instalments of 12-01 are 31 days late
    assert total["ageing"] == ["0", "7000", "0", "0"]
    customers = params["customers"]
    assert isinstance(customers, dict)
    assert [c["name"] for c in customers["top"]] == ["Zeta Ltd", "Acme Trading"]


async def test_a_supervisor_never_sees_another_teams_reps() -> None:
    uow = await december_world()
    await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    assert _reps(_params(uow, SUE)) == ["Rob"]
    assert _reps(_params(uow, SID)) == ["Ray"]
    assert sorted(_reps(_params(uow, SAM))) == ["Ray", "Rob"]


async def test_nothing_is_sent_before_the_first_working_day_or_after_the_first_week() -> None:
    uow = await december_world()
    before = FIRST_WORKING_DAY - timedelta(days=1)
    late = FIRST_WORKING_DAY + timedelta(days=MONTHLY_CATCH_UP_DAYS)
    assert await send_collection_analysis(uow, policy=POLICY, now=before) == 0
    assert await send_collection_analysis(uow, policy=POLICY, now=late) == 0
    assert uow.outbox.recipients() == []


async def test_a_worker_down_on_the_first_working_day_catches_up_the_next_day_once() -> None:
    uow = await december_world()
    assert await send_collection_analysis(uow, policy=POLICY, now=NEXT_DAY) == 6
    assert await send_collection_analysis(uow, policy=POLICY, now=NEXT_DAY) == 0


async def test_a_manager_whose_scope_had_nothing_gets_nothing() -> None:
    uow = await december_world()
    del uow.contracts.rows[2]
    await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    assert SID not in uow.outbox.recipients()
    assert SUE in uow.outbox.recipients()


async def test_on_demand_last_month_is_the_pushed_text_and_this_month_is_so_far() -> None:
    uow = await december_world()
    last = await collection_report(
        uow, SID, this_month=False, policy=POLICY, now=datetime(2027, 1, 5, 2, tzinfo=UTC)
    )
    params = last.params()
    assert params["month"] == "2026-12"
    assert _reps(params) == ["Ray"]
    this = await collection_report(uow, ACE, this_month=True, policy=POLICY, now=NEXT_DAY)
    assert this.params()["month"] == "2027-01"
    assert this.params()["closed"] is False


@pytest.mark.parametrize("person", [ROB])
async def test_a_rep_has_no_analysis(person: int) -> None:
    uow = await december_world()
    await assert_refused(
        uow,
        collection_report(uow, person, this_month=False, policy=POLICY, now=NEXT_DAY),
        NotAllowed,
    )


@pytest.mark.parametrize(
    ("collection", "collected", "percent"),
    [("100000.00", "49999.99", 49), ("100000.00", "100000.00", 100), ("0", "5000", None)],
)
def test_collection_progress_is_rounded_down_and_absent_without_a_target_amount(
    collection: str, collected: str, percent: int | None
) -> None:
    target = MonthlyTarget(
        1, ROB, date(2027, 1, 1), Decimal(500000), Decimal(collection), SAM, FIRST_WORKING_DAY
    )
    rob = make_person(id=ROB, full_name="Rob")
    progress = progress_of(
        [rob], [target], Actuals({}, []), (date(2027, 1, 1), date(2027, 2, 1)), {ROB: D(collected)}
    )
    assert progress[0].collected == D(collected)
    assert progress[0].collection_completion == percent


async def test_a_contract_closed_in_the_month_still_counts_and_one_closed_before_does_not() -> None:
    uow = await december_world()
    rays = uow.contracts.rows[2]
    closed_at = datetime(2026, 12, 20, 2, tzinfo=UTC)
    uow.contracts.rows[2] = replace(rays, status=ContractStatus.closed, closed_at=closed_at)
    await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    assert _reps(_params(uow, SID)) == ["Ray"]

    uow = await december_world()
    before = datetime(2026, 11, 30, 2, tzinfo=UTC)
    uow.contracts.rows[2] = replace(rays, status=ContractStatus.closed, closed_at=before)
    await send_collection_analysis(uow, policy=POLICY, now=FIRST_WORKING_DAY)
    assert SID not in uow.outbox.recipients()
    assert _reps(_params(uow, MIA)) == ["Rob"]
