"""The contract application through the approval engine (issue 12, item 4): filed by the sales
desk (or the rep) on a deal whose deposit is in, approved by the sales manager and the general
manager, numbered from the policy's pattern, co-signed by finance into the ledger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from approval_fakes import MONDAY_10
from fakes import ACE, FAY, GUS, MIA, RAY, ROB, SAM, SUE, make_person
from refusals import assert_refused
from routine_fakes import Q, RoutineUnitOfWork, make_customer, routine_world

from bot.core.approvals import (
    ApprovalRequest,
    Decision,
    Delegation,
    RequestStatus,
    StepStatus,
)
from bot.core.contract_terms import ContractLine, Instalment, PaymentSchedule
from bot.core.contracts import ContractStatus, ContractStatusOrder
from bot.core.deals import DealTerms, InputProblem
from bot.core.errors import InvalidChange, NotAllowed
from bot.core.orders import DealStage, PaymentMethod, StageOrder
from bot.core.policy import FiledBy, Orders, Policy
from bot.core.roles import Role
from bot.core.usecases import approvals, contract_application, orders
from bot.core.usecases.customer_register import win_on_request

DESK = 20
POLICY = Policy()
TODAY = MONDAY_10.date()
LINES = (ContractLine("Steel pipes", Decimal(100), Decimal("1200.00"), Decimal(12)),)
SCHEDULE = PaymentSchedule(
    Decimal("30000.00"), (Instalment(TODAY + timedelta(days=30), Decimal("75600.00")),)
)  # 105,600.00 in all


async def deposit_in(*, desk: bool = True) -> tuple[RoutineUnitOfWork, int]:
    """Rob's customer won on request 1, reserved, its deposit recorded; Wu at the sales desk
    under Sam when `desk`."""
    uow = routine_world(make_customer(1, ROB, "Acme Trading", status=Q))
    if desk:
        uow.people.rows[DESK] = make_person(
            id=DESK, full_name="Wu", role=Role.sales_desk, reports_to=SAM
        )
    terms = DealTerms(
        1, "Steel pipes", Decimal(100), Decimal("120000.00"), Decimal(12), deposit=Decimal(30000)
    )
    uow.requests.rows[1] = ApprovalRequest(
        1, "special_terms", ROB, terms, RequestStatus.approved, MONDAY_10
    )
    deal = await win_on_request(uow, actor_id=ROB, request_id=1, now=MONDAY_10)
    await orders.record_reservation(
        uow,
        actor_id=ROB,
        deal_id=deal.id,
        amount=Decimal("105600.00"),
        expected_deposit=Decimal(30000),
        signed_page="page",
        page_is_photo=True,
        now=MONDAY_10,
    )
    entry = orders.DepositEntry(Decimal(30000), TODAY, PaymentMethod.bank_transfer, "SJ-1", None)
    await orders.record_deposit(
        uow, actor_id=ACE, deal_id=deal.id, entry=entry, today=TODAY, now=MONDAY_10
    )
    uow.clear_outbox()
    uow.baseline()
    return uow, deal.id


async def file(
    uow: RoutineUnitOfWork, deal_id: int, *, actor: int = DESK, policy: Policy = POLICY
) -> int:
    contract = await contract_application.file_application(
        uow,
        actor_id=actor,
        deal_id=deal_id,
        lines=LINES,
        schedule=SCHEDULE,
        delivery_date=TODAY + timedelta(days=20),
        policy=policy,
        today=TODAY,
        now=MONDAY_10,
    )
    return contract.id


def open_step(uow: RoutineUnitOfWork, request_id: int) -> int:
    [step] = [
        s
        for s in uow.steps.rows.values()
        if s.request_id == request_id and s.status is StepStatus.pending
    ]
    return step.id


async def decide(uow: RoutineUnitOfWork, request_id: int, actor: int, decision: Decision) -> None:
    await approvals.decide(
        uow,
        step_id=open_step(uow, request_id),
        actor_id=actor,
        decision=decision,
        comment=None if decision is Decision.approve else "No",
        policy=POLICY,
        now=MONDAY_10,
    )


async def test_the_form_starts_from_the_approved_terms_and_the_deposit_received() -> None:
    uow, deal_id = await deposit_in()

    start = await contract_application.application_start(uow, DESK, deal_id, POLICY)

    assert start.lines == (
        ContractLine("Steel pipes", Decimal(100), Decimal("1200.00"), Decimal(12)),
    )
    assert start.deposit == Decimal(30000)
    assert [
        f.deal.id for f in await contract_application.applications_to_file(uow, DESK, POLICY)
    ] == [deal_id]


async def test_the_application_goes_to_the_sales_manager_then_the_general_manager() -> None:
    uow, deal_id = await deposit_in()

    contract_id = await file(uow, deal_id)

    contract = await uow.contracts.get(contract_id)
    assert contract is not None
    assert (contract.status, contract.filed_by, contract.amount) == (
        ContractStatus.applied,
        DESK,
        Decimal("105600.00"),
    )
    request = uow.requests.rows[contract.request_id or 0]
    assert (request.kind, request.terms.amount, request.terms.deposit) == (
        "contract",
        Decimal("105600.00"),
        Decimal(30000),
    )
    chain = sorted(
        (s.position, s.role, s.approver_id)
        for s in uow.steps.rows.values()
        if s.request_id == request.id
    )
    assert chain == [(0, Role.sales_manager, SAM), (1, Role.general_manager, GUS)]
    assert (SAM, "approval_card") in uow.queued()
    assert await contract_application.applications_to_file(uow, DESK, POLICY) == [], "filed once"


async def test_approved_it_is_numbered_signed_by_the_sales_head_and_waits_for_finance() -> None:
    uow, deal_id = await deposit_in()
    contract_id = await file(uow, deal_id)
    request_id = (await uow.contracts.get(contract_id)).request_id or 0  # type: ignore[union-attr]
    await decide(uow, request_id, SAM, Decision.approve)
    uow.clear_outbox()

    await decide(uow, request_id, GUS, Decision.approve)

    contract = await uow.contracts.get(contract_id)
    assert contract is not None
    assert (contract.status, contract.number, contract.signed_by) == (
        ContractStatus.awaiting_cosign,
        f"HT-{TODAY.year}-0001",
        SAM,
    )
    told = {r for r, t in uow.queued() if t == "contract_to_cosign"}
    assert told == {ACE, FAY}
    [params, _] = [
        q.notification.params
        for q in uow.outbox.queued
        if q.notification.template == "contract_to_cosign"
    ]
    assert params["rep"] == "Rob", "the deal's rep, though the desk filed the application"
    assert [c.id for c in await contract_application.contracts_to_cosign(uow, ACE)] == [contract_id]
    assert await contract_application.contracts_to_cosign(uow, ROB) == []


async def approved(uow: RoutineUnitOfWork, deal_id: int) -> int:
    contract_id = await file(uow, deal_id)
    request_id = (await uow.contracts.get(contract_id)).request_id or 0  # type: ignore[union-attr]
    await decide(uow, request_id, SAM, Decision.approve)
    await decide(uow, request_id, GUS, Decision.approve)
    uow.clear_outbox()
    uow.baseline()
    return contract_id


async def test_finance_co_signs_it_into_the_ledger_and_the_deal_is_contracted() -> None:
    uow, deal_id = await deposit_in()
    contract_id = await approved(uow, deal_id)

    await contract_application.cosign(
        uow, actor_id=ACE, contract_id=contract_id, policy=POLICY, now=MONDAY_10
    )

    contract = await uow.contracts.get(contract_id)
    assert contract is not None
    assert (contract.status, contract.cosigned_by) == (ContractStatus.in_force, ACE)
    assert (await uow.deals.get(deal_id)).stage is DealStage.contracted  # type: ignore[union-attr]
    assert {r for r, t in uow.queued() if t == "contract_in_force"} == {ROB, DESK}
    assert (MIA, "production_to_sign") in uow.queued(), "rule 6: the VP signs the notice next"
    edited = [n for n in uow.outbox.sent_to(FAY) if n.template == "contract_cosigned"]
    assert edited
    assert (edited[0].edit, edited[0].edit_only) == (True, True)


async def test_only_finance_co_signs_and_only_once() -> None:
    uow, deal_id = await deposit_in()
    contract_id = await approved(uow, deal_id)
    for someone in (ROB, SAM, GUS, DESK):
        call = contract_application.cosign(
            uow, actor_id=someone, contract_id=contract_id, policy=POLICY, now=MONDAY_10
        )
        await assert_refused(uow, call, NotAllowed)
    await contract_application.cosign(
        uow, actor_id=FAY, contract_id=contract_id, policy=POLICY, now=MONDAY_10
    )
    uow.baseline()

    again = contract_application.cosign(
        uow, actor_id=ACE, contract_id=contract_id, policy=POLICY, now=MONDAY_10
    )
    await assert_refused(uow, again, ContractStatusOrder)


async def test_a_refused_application_is_no_contract_and_a_new_one_may_be_filed() -> None:
    uow, deal_id = await deposit_in()
    contract_id = await file(uow, deal_id)
    request_id = (await uow.contracts.get(contract_id)).request_id or 0  # type: ignore[union-attr]

    await decide(uow, request_id, SAM, Decision.reject)

    assert (await uow.contracts.get(contract_id)).status is ContractStatus.refused  # type: ignore[union-attr]
    assert (await uow.contracts.get(contract_id)).number is None  # type: ignore[union-attr]
    assert await file(uow, deal_id) != contract_id


async def test_a_withdrawn_application_is_no_contract() -> None:
    uow, deal_id = await deposit_in()
    contract_id = await file(uow, deal_id)
    request_id = (await uow.contracts.get(contract_id)).request_id or 0  # type: ignore[union-attr]

    await approvals.withdraw(uow, request_id=request_id, actor_id=DESK, now=MONDAY_10)

    assert (await uow.contracts.get(contract_id)).status is ContractStatus.withdrawn  # type: ignore[union-attr]


async def test_a_returned_application_is_filed_anew_not_resubmitted_as_special_terms() -> None:
    uow, deal_id = await deposit_in()
    contract_id = await file(uow, deal_id)
    request = uow.requests.rows[(await uow.contracts.get(contract_id)).request_id or 0]  # type: ignore[union-attr]
    await decide(uow, request.id, SAM, Decision.return_for_changes)
    uow.baseline()

    call = approvals.resubmit(
        uow, request_id=request.id, actor_id=DESK, terms=request.terms, policy=POLICY, now=MONDAY_10
    )
    await assert_refused(uow, call, NotAllowed)
    assert (await uow.contracts.get(contract_id)).status is ContractStatus.returned  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("actor", "desk", "filed_by", "allowed"),
    [
        (DESK, True, FiledBy.sales_desk, True),
        (ROB, True, FiledBy.sales_desk, False),  # the desk files: the rep does not
        (ROB, False, FiledBy.sales_desk, True),  # nobody at the desk: the rep files
        (ROB, True, FiledBy.rep, True),
        (RAY, False, FiledBy.rep, False),  # another rep's deal
        (SUE, False, FiledBy.rep, False),
        (ACE, True, FiledBy.sales_desk, False),
        (MIA, True, FiledBy.sales_desk, False),
    ],
)
async def test_who_files_the_application(
    actor: int, desk: bool, filed_by: FiledBy, allowed: bool
) -> None:
    uow, deal_id = await deposit_in(desk=desk)
    policy = Policy(orders=Orders(filed_by=filed_by))
    if allowed:
        await file(uow, deal_id, actor=actor, policy=policy)
        return
    await assert_refused(uow, file(uow, deal_id, actor=actor, policy=policy), NotAllowed)
    assert await contract_application.applications_to_file(uow, actor, policy) == []


async def test_no_application_before_the_deposit_and_none_twice() -> None:
    uow, deal_id = await deposit_in()
    await file(uow, deal_id)
    uow.baseline()
    await assert_refused(uow, file(uow, deal_id), InvalidChange)

    fresh = routine_world(make_customer(1, ROB, "Acme Trading", status=Q))
    fresh.people.rows[DESK] = make_person(id=DESK, role=Role.sales_desk, reports_to=SAM)
    deal = await fresh.deals.open(customer_id=1, owner_id=ROB, request_id=None, now=MONDAY_10)
    fresh.baseline()
    error = await assert_refused(fresh, file(fresh, deal.id), StageOrder)
    assert error.needs is DealStage.reserved


async def test_a_schedule_that_does_not_add_up_files_nothing() -> None:
    uow, deal_id = await deposit_in()
    short = PaymentSchedule(Decimal(30000), (Instalment(TODAY + timedelta(days=9), Decimal(1)),))
    with pytest.raises(InputProblem, match="schedule_mismatch"):
        await contract_application.file_application(
            uow,
            actor_id=DESK,
            deal_id=deal_id,
            lines=LINES,
            schedule=short,
            delivery_date=date(2027, 1, 1),
            policy=POLICY,
            today=TODAY,
            now=MONDAY_10,
        )
    await uow.rollback()
    assert await uow.contracts.for_deal(deal_id) == []


async def test_an_away_sales_manager_s_contract_step_stays_with_him_not_the_vp() -> None:
    """The VP may decide the manager's special terms while he is away, but the seed gives
    contracts to the sales manager and the general manager alone."""
    uow, deal_id = await deposit_in()
    uow.delegations.rows[1] = _away(SAM, MIA)

    contract_id = await file(uow, deal_id)

    request_id = (await uow.contracts.get(contract_id)).request_id or 0  # type: ignore[union-attr]
    step = uow.steps.rows[open_step(uow, request_id)]
    assert (step.approver_id, step.acting_id) == (SAM, None)
    with pytest.raises(NotAllowed):
        await decide(uow, request_id, MIA, Decision.approve)


def _away(person: int, delegate: int) -> Delegation:
    return Delegation(
        1,
        person,
        delegate,
        MONDAY_10 - timedelta(hours=1),
        MONDAY_10 + timedelta(days=2),
        MONDAY_10,
    )
