"""The signed reservation and the deposit with its receipt (issue 12, item 2), and who files
the order papers (item 3): the rules, who may act, who is told."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from approval_fakes import MONDAY_10
from fakes import ACE, FAY, RAY, ROB, SUE, make_person
from refusals import assert_refused
from routine_fakes import Q, RoutineUnitOfWork, make_customer, routine_world

from bot.core.approvals import ApprovalRequest, RequestStatus
from bot.core.deals import DealTerms, InputProblem
from bot.core.errors import NotAllowed, NotFound
from bot.core.orders import (
    DealStage,
    PaymentMethod,
    StageOrder,
    check_paid_on,
    may_file,
)
from bot.core.policy import FiledBy, PolicyError, parse_policy
from bot.core.roles import Role
from bot.core.usecases import orders
from bot.core.usecases.customer_register import win_on_request

TODAY = MONDAY_10.date()
PAGE = "AgACAgIAAxkBAAIB"


async def won_world() -> tuple[RoutineUnitOfWork, int]:
    """Rob's customer agreed to the approved terms of request 1 (12 % off ¥120,000.00, deposit
    ¥30,000.00): the deal waits for its signed reservation."""
    uow = routine_world(make_customer(1, ROB, "Acme Trading", status=Q))
    terms = DealTerms(
        1, "Steel pipes", Decimal(100), Decimal("120000.00"), Decimal(12), deposit=Decimal(30000)
    )
    uow.requests.rows[1] = ApprovalRequest(
        1, "special_terms", ROB, terms, RequestStatus.approved, MONDAY_10
    )
    deal = await win_on_request(uow, actor_id=ROB, request_id=1, now=MONDAY_10)
    uow.clear_outbox()
    return uow, deal.id


async def reserve(uow: RoutineUnitOfWork, deal_id: int, **overrides: object) -> None:
    args: dict[str, object] = {
        "actor_id": ROB,
        "deal_id": deal_id,
        "amount": Decimal("105600.00"),
        "expected_deposit": Decimal("30000.00"),
        "signed_page": PAGE,
        "page_is_photo": True,
        "now": MONDAY_10,
    }
    await orders.record_reservation(uow, **{**args, **overrides})  # type: ignore[arg-type]


ENTRY = orders.DepositEntry(
    amount=Decimal("30000.00"),
    paid_on=TODAY,
    method=PaymentMethod.bank_transfer,
    receipt_no="SJ-0042",
    reference="CMB 7781",
)


async def test_the_reservation_form_starts_from_the_approved_terms_net_amount() -> None:
    uow, deal_id = await won_world()

    file = await orders.reservation_file(uow, ROB, deal_id)

    assert file.terms is not None
    assert file.agreed_amount == Decimal("105600.00")  # ¥120,000.00 less 12 %
    assert (file.customer_name, file.owner_name) == ("Acme Trading", "Rob")


async def test_the_reservation_moves_the_deal_and_tells_every_accountant() -> None:
    uow, deal_id = await won_world()

    await reserve(uow, deal_id)

    deal = await uow.deals.get(deal_id)
    assert deal is not None
    assert deal.stage is DealStage.reserved
    assert deal.reservation is not None
    assert (deal.reservation.amount, deal.reservation.signed_page) == (Decimal("105600.00"), PAGE)
    expected = uow.last_to(ACE, "deposit_expected")
    assert expected.ref == f"deposit:{deal_id}"
    assert (expected.params["expected"], expected.params["customer"]) == (
        "30000.00",
        "Acme Trading",
    )
    assert uow.queued() == [(ACE, "deposit_expected")]  # finance VP and the rest: not their work


async def test_only_the_deals_rep_records_its_reservation() -> None:
    uow, deal_id = await won_world()
    uow.baseline()
    for someone in (RAY, SUE, ACE):
        await assert_refused(uow, reserve(uow, deal_id, actor_id=someone), NotFound)


async def test_a_deposit_larger_than_the_reservation_is_refused() -> None:
    uow, deal_id = await won_world()
    uow.baseline()
    with pytest.raises(InputProblem, match="deposit_over_amount"):
        await reserve(uow, deal_id, expected_deposit=Decimal("105600.01"))
    assert (await uow.deals.get(deal_id)).stage is DealStage.negotiating  # type: ignore[union-attr]


async def test_a_second_reservation_is_refused_as_past_that_step() -> None:
    uow, deal_id = await won_world()
    await reserve(uow, deal_id)
    uow.baseline()

    error = await assert_refused(uow, reserve(uow, deal_id), StageOrder)

    assert (error.wanted, error.needs) == (DealStage.reserved, None)


async def test_the_accountants_queue_lists_reserved_deals_and_nobody_elses_does() -> None:
    uow, deal_id = await won_world()
    assert await orders.deposits_expected(uow, ACE) == []
    await reserve(uow, deal_id)

    [waiting] = await orders.deposits_expected(uow, ACE)

    assert waiting.deal.id == deal_id
    for someone in (ROB, SUE, FAY):
        assert await orders.deposits_expected(uow, someone) == []


async def test_the_deposit_is_recorded_with_its_receipt_and_the_rep_and_supervisor_told() -> None:
    uow, deal_id = await won_world()
    await reserve(uow, deal_id)
    uow.clear_outbox()

    await orders.record_deposit(
        uow, actor_id=ACE, deal_id=deal_id, entry=ENTRY, today=TODAY, now=MONDAY_10
    )

    deal = await uow.deals.get(deal_id)
    assert deal is not None
    assert deal.stage is DealStage.deposit_paid
    assert deal.deposit is not None
    assert (deal.deposit.receipt_no, deal.deposit.recorded_by) == ("SJ-0042", ACE)
    assert sorted(uow.queued()) == sorted(
        [(ROB, "deposit_received"), (SUE, "deposit_received"), (ACE, "deposit_expected_done")]
    )
    done = uow.last_to(ACE, "deposit_expected_done")
    assert (done.ref, done.edit, done.edit_only) == (f"deposit:{deal_id}", True, True)
    assert await orders.deposits_expected(uow, ACE) == []


async def test_only_the_accountant_records_a_deposit() -> None:
    uow, deal_id = await won_world()
    await reserve(uow, deal_id)
    uow.baseline()
    for someone in (ROB, SUE, FAY):
        call = orders.record_deposit(
            uow, actor_id=someone, deal_id=deal_id, entry=ENTRY, today=TODAY, now=MONDAY_10
        )
        await assert_refused(uow, call, NotAllowed)


async def test_a_deposit_before_the_reservation_names_the_reservation_first() -> None:
    uow, deal_id = await won_world()
    uow.baseline()

    call = orders.record_deposit(
        uow, actor_id=ACE, deal_id=deal_id, entry=ENTRY, today=TODAY, now=MONDAY_10
    )
    error = await assert_refused(uow, call, StageOrder)

    assert error.needs is DealStage.reserved


async def test_a_deposit_is_recorded_once() -> None:
    uow, deal_id = await won_world()
    await reserve(uow, deal_id)
    await orders.record_deposit(
        uow, actor_id=ACE, deal_id=deal_id, entry=ENTRY, today=TODAY, now=MONDAY_10
    )
    uow.baseline()

    call = orders.record_deposit(
        uow, actor_id=ACE, deal_id=deal_id, entry=ENTRY, today=TODAY, now=MONDAY_10
    )
    await assert_refused(uow, call, StageOrder)


@pytest.mark.parametrize(
    ("days_back", "problem"),
    [(-1, "future_payment"), (0, None), (90, None), (91, "payment_too_old")],
)
def test_the_day_money_arrived_is_today_or_at_most_90_days_back(
    days_back: int, problem: str | None
) -> None:
    paid_on = TODAY - timedelta(days=days_back)
    if problem is None:
        check_paid_on(paid_on, TODAY)
        return
    with pytest.raises(InputProblem, match=problem):
        check_paid_on(paid_on, TODAY)


DESK = make_person(id=50, role=Role.sales_desk)
REP = make_person(id=ROB, role=Role.rep)
OTHER_REP = make_person(id=RAY, role=Role.rep)
SUPERVISOR = make_person(id=SUE, role=Role.supervisor)


@pytest.mark.parametrize(
    ("actor", "filed_by", "desk_staffed", "allowed"),
    [
        (DESK, FiledBy.sales_desk, True, True),
        (DESK, FiledBy.rep, True, True),
        (REP, FiledBy.sales_desk, True, False),  # the desk files: the rep hands it the order
        (REP, FiledBy.sales_desk, False, True),  # nobody at the desk: the rep files
        (REP, FiledBy.rep, True, True),
        (OTHER_REP, FiledBy.rep, True, False),
        (OTHER_REP, FiledBy.sales_desk, False, False),
        (SUPERVISOR, FiledBy.rep, False, False),
    ],
)
def test_who_files_the_order_papers(
    actor: object, filed_by: FiledBy, desk_staffed: bool, allowed: bool
) -> None:
    assert may_file(actor, ROB, filed_by, desk_staffed) is allowed  # type: ignore[arg-type]


def test_the_policy_chooses_who_files() -> None:
    assert parse_policy({}).orders.filed_by is FiledBy.sales_desk
    assert parse_policy({"orders": {"filed_by": "rep"}}).orders.filed_by is FiledBy.rep
    with pytest.raises(PolicyError, match=r"orders\.filed_by"):
        parse_policy({"orders": {"filed_by": "anyone"}})


def test_the_sales_desk_is_a_role_managers_invite() -> None:
    from bot.core.roles import invitable_roles

    assert Role.sales_desk in invitable_roles(Role.sales_manager)
    assert invitable_roles(Role.sales_desk) == []


async def test_a_deal_is_lost_before_the_contract_and_finance_is_told_not_to_expect_the_deposit() -> (
    None
):
    uow, deal_id = await won_world()
    await reserve(uow, deal_id)
    uow.clear_outbox()

    await orders.mark_lost(
        uow, actor_id=ROB, deal_id=deal_id, reason="Bought abroad", now=MONDAY_10
    )

    assert (await uow.deals.get(deal_id)).stage is DealStage.lost  # type: ignore[union-attr]
    edited = uow.last_to(ACE, "deal_lost")
    assert (edited.ref, edited.edit) == (f"deposit:{deal_id}", True)
    assert (SUE, "deal_lost") in uow.queued(), "the rep's supervisor is told"
    assert uow.audit.entries[-1].comment == "Bought abroad"
    assert await orders.deposits_expected(uow, ACE) == []


async def test_only_its_rep_or_a_manager_above_marks_a_deal_lost_and_never_twice() -> None:
    uow, deal_id = await won_world()
    uow.baseline()
    for someone in (RAY, ACE):
        call = orders.mark_lost(uow, actor_id=someone, deal_id=deal_id, reason="x", now=MONDAY_10)
        await assert_refused(uow, call, NotFound)
    assert [d.id for d in await orders.losable(uow, SUE, 1)] == [deal_id], "the supervisor may"
    await orders.mark_lost(uow, actor_id=SUE, deal_id=deal_id, reason="Budget cut", now=MONDAY_10)
    uow.baseline()

    again = orders.mark_lost(uow, actor_id=ROB, deal_id=deal_id, reason="x", now=MONDAY_10)
    error = await assert_refused(uow, again, StageOrder)
    assert error.over
    assert await orders.losable(uow, ROB, 1) == []
