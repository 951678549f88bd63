"""Commission sheets (issue 13, item 5): the generated sheet with its deduction and traced
payments, a month with no contract, the chain in the policy's order with only the right role
at each step, returned and filed again, paid once, and the desk's queue.

The world (follow_on_world): Rob's contract HT-2026-0007 of 10,000.00, its deposit of 3,000.00
received, 4,000.00 due 2026-12-01 and 3,000.00 due 2027-01-01."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SUE
from follow_on_world import DEE, contract_world
from refusals import assert_refused
from routine_fakes import RoutineUnitOfWork

from bot.core.commission import (
    MonthNotOver,
    NothingToFile,
    SheetAlreadyFiled,
    SheetMoved,
    SheetStatus,
    month_deduction,
)
from bot.core.contract_terms import Instalment, PaymentSchedule
from bot.core.contracts import ContractStatus
from bot.core.deals import InputProblem
from bot.core.errors import NotAllowed
from bot.core.orders import PaymentMethod
from bot.core.payments import PaymentDraft
from bot.core.policy import Collections, Policy
from bot.core.usecases import commission, commission_chain, commission_view

D = Decimal
POLICY = Policy()
DECEMBER = date(2026, 12, 1)
LATER = datetime(2027, 1, 5, 2, tzinfo=UTC)
EVERYONE = {
    "rep": ROB,
    "supervisor": SUE,
    "sales manager": SAM,
    "marketing VP": MIA,
    "desk": DEE,
    "accountant": ACE,
    "finance VP": FAY,
    "GM": GUS,
    "admin": ADA,
}


def others(*allowed: str) -> list[object]:
    return [pytest.param(i, id=n) for n, i in EVERYONE.items() if n not in allowed]


async def december_world() -> tuple[RoutineUnitOfWork, int]:
    """2,000.00 paid on 2026-12-10 (BK-1) against the 4,000.00 due 12-01: all of it late
    until then, 2,000.00 of it still late after."""
    uow, contract_id = await contract_world()
    draft = PaymentDraft(
        contract_id, D(2000), date(2026, 12, 10), PaymentMethod.bank_transfer, "BK-1"
    )
    await uow.payments.add(draft, recorded_by=ACE, now=LATER)
    uow.baseline()
    return uow, contract_id


async def filed(uow: RoutineUnitOfWork, rep: int = ROB) -> int:
    record = await commission.file_sheet(
        uow, actor_id=DEE, rep_id=rep, month=DECEMBER, policy=POLICY, now=LATER
    )
    return record.id


def test_a_month_is_charged_the_interest_it_accrued_not_the_whole_again() -> None:
    schedule = PaymentSchedule(D(0), (Instalment(date(2026, 3, 1), D(20000)),))
    april = month_deduction(schedule, [], date(2026, 4, 1), Collections())
    march = month_deduction(schedule, [], date(2026, 3, 1), Collections())
    assert (march, april) == (D("98.63"), D("98.63"))  # 30 days each; 197.26 - 98.63
    half = Collections(commission_deduction=D("0.5"))
    assert month_deduction(schedule, [], date(2026, 4, 1), half) == D("49.32")


def test_money_paid_late_is_charged_to_the_month_of_its_late_days() -> None:
    schedule = PaymentSchedule(D(0), (Instalment(date(2026, 3, 1), D(20000)),))
    paid = [(date(2026, 4, 10), D(20000))]
    april = month_deduction(schedule, paid, date(2026, 4, 1), Collections())
    may = month_deduction(schedule, paid, date(2026, 5, 1), Collections())
    assert (april, may) == (D("32.88"), D("0.00"))  # 20,000 × 6 % × 10 ÷ 365


async def test_the_sheet_counts_the_month_s_payments_less_the_month_s_interest() -> None:
    uow, contract_id = await december_world()
    view = await commission.commission_draft(
        uow, actor_id=DEE, rep_id=ROB, month=DECEMBER, policy=POLICY, today=LATER.date()
    )
    (line,) = view.sheet.lines
    assert (line.contract_id, line.collected, line.rate) == (contract_id, D(2000), D("0.02"))
    # 2,000.00 × 2 % = 40.00; at 6 %: 4,000.00 late 12-02..12-10 (9 days), then the
    # 2,000.00 left 12-11..12-31 (21 days): 78,000 × 0.06 ÷ 365 = 12.82 deducted
    assert (line.commission, line.deduction) == (D("40.00"), D("12.82"))
    assert view.sheet.total.payable == D("27.18")
    params = commission_view.sheet_params(view)
    assert params["lines"] == [
        {
            "number": "HT-2026-0007",
            "customer": "Acme Trading",
            "payments": [
                {
                    "id": 1,
                    "paid_on": "2026-12-10",
                    "amount": "2000",
                    "reference": "BK-1",
                    "number": "HT-2026-0007",
                }
            ],
            "payments_more": 0,
            "collected": "2000",
            "rate": "2.00",
            "commission": "40.00",
            "deduction": "12.82",
        }
    ]


async def test_no_contract_no_commission() -> None:
    uow, contract_id = await december_world()
    applied = replace(uow.contracts[contract_id], status=ContractStatus.applied)
    uow.contracts.rows[contract_id] = applied
    uow.baseline()
    view = await commission.commission_draft(
        uow, actor_id=DEE, rep_id=ROB, month=DECEMBER, policy=POLICY, today=LATER.date()
    )
    assert (view.sheet.lines, view.sheet.excluded) == ((), (1,))
    await assert_refused(uow, filed(uow), NothingToFile)


async def test_a_rep_without_money_in_the_month_has_nothing_to_file() -> None:
    uow, _ = await december_world()
    await assert_refused(uow, filed(uow, RAY), NothingToFile)


async def test_a_month_not_over_is_not_filed() -> None:
    uow, _ = await december_world()
    early = datetime(2026, 12, 31, 2, tzinfo=UTC)
    call = commission.file_sheet(
        uow, actor_id=DEE, rep_id=ROB, month=DECEMBER, policy=POLICY, now=early
    )
    await assert_refused(uow, call, MonthNotOver)


async def test_the_month_is_over_at_midnight_in_the_company_s_time_zone() -> None:
    uow, _ = await december_world()
    new_year_1am = datetime(2026, 12, 31, 17, tzinfo=UTC)  # 01:00 on 01-01 in Shanghai
    record = await commission.file_sheet(
        uow, actor_id=DEE, rep_id=ROB, month=DECEMBER, policy=POLICY, now=new_year_1am
    )
    assert record.month == DECEMBER


@pytest.mark.parametrize("actor", others("desk"))
async def test_only_the_desk_files(actor: int) -> None:
    uow, _ = await december_world()
    call = commission.file_sheet(
        uow, actor_id=actor, rep_id=ROB, month=DECEMBER, policy=POLICY, now=LATER
    )
    await assert_refused(uow, call, NotAllowed)


async def check(uow: RoutineUnitOfWork, actor: int, sheet_id: int) -> SheetStatus:
    moved = await commission_chain.check(
        uow, actor_id=actor, sheet_id=sheet_id, policy=POLICY, now=LATER
    )
    return moved.status


async def test_the_chain_checks_in_the_policy_s_order_then_the_accountant_pays_once() -> None:
    uow, _ = await december_world()
    sheet_id = await filed(uow)
    assert [n.template for n in uow.outbox.sent_to(ACE)] == ["commission_card"]
    for actor, wrong in ((ACE, FAY), (FAY, GUS), (GUS, ACE)):
        await assert_refused(uow, check(uow, wrong, sheet_id), NotAllowed)
        await check(uow, actor, sheet_id)
    record = uow.commission_sheets.rows[sheet_id]
    assert record.status is SheetStatus.approved
    assert [(c.role.value, c.by) for c in record.checks] == [
        ("accountant", ACE),
        ("finance_vp", FAY),
        ("general_manager", GUS),
    ]
    assert [n.template for n in uow.outbox.sent_to(ROB)] == ["commission_approved"]
    await assert_refused(uow, check(uow, GUS, sheet_id), SheetMoved)
    pay = commission_chain.mark_paid
    await assert_refused(
        uow, pay(uow, actor_id=FAY, sheet_id=sheet_id, reference=None, now=LATER), NotAllowed
    )
    paid = await pay(uow, actor_id=ACE, sheet_id=sheet_id, reference="PAY-12", now=LATER)
    assert (paid.status, paid.paid_reference) == (SheetStatus.paid, "PAY-12")
    assert uow.outbox.sent_to(ROB)[-1].template == "commission_paid"
    again = pay(uow, actor_id=ACE, sheet_id=sheet_id, reference=None, now=LATER)
    await assert_refused(uow, again, SheetMoved)


async def test_a_returned_sheet_is_filed_again_and_only_one_is_live() -> None:
    uow, _ = await december_world()
    sheet_id = await filed(uow)
    await assert_refused(uow, filed(uow), SheetAlreadyFiled)
    await check(uow, ACE, sheet_id)
    back = commission_chain.return_to_desk
    await assert_refused(
        uow,
        back(uow, actor_id=FAY, sheet_id=sheet_id, reason=" ", policy=POLICY, now=LATER),
        InputProblem,
    )
    await back(
        uow, actor_id=FAY, sheet_id=sheet_id, reason="BK-1 is a deposit", policy=POLICY, now=LATER
    )
    returned = uow.commission_sheets.rows[sheet_id]
    assert (returned.status, returned.return_reason) == (SheetStatus.returned, "BK-1 is a deposit")
    assert uow.outbox.sent_to(DEE)[-1].params["reason"] == "BK-1 is a deposit"
    assert await filed(uow) == sheet_id + 1
    await assert_refused(uow, check(uow, FAY, sheet_id), SheetMoved)


async def test_the_desk_s_queue_names_reps_with_money_and_no_live_sheet() -> None:
    uow, _ = await december_world()
    queue = await commission_chain.commission_queue(
        uow, actor_id=DEE, policy=POLICY, today=LATER.date()
    )
    assert queue.month == DECEMBER
    assert [(r.rep_id, r.collected) for r in queue.to_file] == [(ROB, D(2000))]
    sheet_id = await filed(uow)
    after = await commission_chain.commission_queue(
        uow, actor_id=DEE, policy=POLICY, today=LATER.date()
    )
    assert after.to_file == []
    ace = await commission_chain.commission_queue(
        uow, actor_id=ACE, policy=POLICY, today=LATER.date()
    )
    assert [s.id for s in ace.to_check] == [sheet_id]


async def test_the_rep_sees_the_sheet_and_may_not_act_on_it() -> None:
    uow, _ = await december_world()
    sheet_id = await filed(uow)
    screen = await commission_chain.sheet_screen(
        uow, actor_id=ROB, sheet_id=sheet_id, policy=POLICY
    )
    assert (screen.may_check, screen.may_return, screen.may_pay) == (False, False, False)
    ace = await commission_chain.sheet_screen(uow, actor_id=ACE, sheet_id=sheet_id, policy=POLICY)
    assert (ace.may_check, ace.may_return) == (True, True)


async def test_a_payment_recorded_after_its_month_was_filed_is_paid_with_the_next_sheet() -> None:
    """December's sheet counted the 12-10 payment; one dated 12-28 is recorded in January,
    after it was filed: January's sheet pays it, and never the 12-10 one again."""
    uow, contract_id = await december_world()
    await filed(uow)
    late = PaymentDraft(contract_id, D(500), date(2026, 12, 28), PaymentMethod.cash, "BK-2")
    recorded = await uow.payments.add(late, recorded_by=ACE, now=LATER)
    view = await commission.commission_draft(
        uow,
        actor_id=DEE,
        rep_id=ROB,
        month=date(2027, 1, 1),
        policy=POLICY,
        today=date(2027, 2, 3),
    )
    counted = [p for line in view.sheet.lines for p in line.payment_ids]
    assert counted == [recorded.id]
