"""Payments against a contract (issue 12, item 8): who records them, the over-payment refused
at its boundary, the first payment marked, who is told, and the deal paid in full."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SUE
from follow_on_world import DAN, DEE, NOW, TODAY, contract_world
from refusals import assert_refused
from routine_fakes import CAT

from bot.core.contracts import ContractNotInForce, ContractStatus
from bot.core.deals import InputProblem
from bot.core.errors import NotAllowed
from bot.core.orders import DealStage, PaymentMethod
from bot.core.payments import OverPayment
from bot.core.usecases import collections

D = Decimal


def entry(amount: str, **overrides: object) -> collections.PaymentEntry:
    fields: dict[str, object] = {
        "amount": D(amount),
        "paid_on": TODAY,
        "method": PaymentMethod.bank_transfer,
        "reference": "CMB 7781",
        **overrides,
    }
    return collections.PaymentEntry(**fields)  # type: ignore[arg-type]


async def pay(uow: object, contract_id: int, amount: str, actor: int = ACE, **kw: object) -> object:
    return await collections.record_payment(
        uow,  # type: ignore[arg-type]
        actor_id=actor,
        contract_id=contract_id,
        entry=entry(amount, **kw),
        today=TODAY,
        now=NOW,
    )


async def test_the_accountant_records_a_payment_and_the_rep_and_supervisor_are_told() -> None:
    uow, contract_id = await contract_world()

    recorded = await pay(uow, contract_id, "4000.00")

    assert isinstance(recorded, collections.PaymentRecorded)
    assert (recorded.first, recorded.collected, recorded.outstanding) == (
        True,
        D("7000.00"),
        D("3000.00"),
    )
    assert uow.contracts.held == [contract_id], "the contract was held before the read"
    assert [(p.amount, p.reference, p.recorded_by) for p in uow.payments.rows] == [
        (D("4000.00"), "CMB 7781", ACE)
    ]
    assert sorted(uow.outbox.recipients()) == sorted([ROB, SUE])
    params = uow.outbox.sent_to(ROB)[0].params
    assert params["first"] is True
    assert (params["number"], params["collected"], params["contract_amount"]) == (
        "HT-2026-0007",
        "7000.00",
        "10000.00",
    )
    assert params["outstanding"] == "3000.00"
    assert uow.committed == 1


async def test_only_the_first_payment_is_marked_first() -> None:
    uow, contract_id = await contract_world()
    await pay(uow, contract_id, "4000.00")
    uow.outbox.queued.clear()

    second = await pay(uow, contract_id, "1000.00")

    assert isinstance(second, collections.PaymentRecorded)
    assert second.first is False
    assert uow.outbox.sent_to(ROB)[0].params["first"] is False


async def test_the_outstanding_amount_is_accepted_to_the_cent() -> None:
    uow, contract_id = await contract_world()  # 10,000.00 with the 3,000.00 deposit in

    recorded = await pay(uow, contract_id, "7000.00")

    assert isinstance(recorded, collections.PaymentRecorded)
    assert recorded.outstanding == 0


async def test_one_cent_over_the_outstanding_is_refused_with_the_figures() -> None:
    uow, contract_id = await contract_world()

    refused = await assert_refused(uow, pay(uow, contract_id, "7000.01"), OverPayment)

    assert (refused.amount, refused.collected, refused.asked, refused.room) == (
        D(10000),
        D(3000),
        D("7000.01"),
        D(7000),
    )


async def test_the_form_refuses_an_over_payment_as_it_is_typed() -> None:
    uow, contract_id = await contract_world()
    await collections.check_amount(uow, ACE, contract_id, D("7000.00"))

    with pytest.raises(OverPayment):
        await collections.check_amount(uow, ACE, contract_id, D("7000.01"))


@pytest.mark.parametrize(
    "someone",
    [ROB, RAY, SUE, SAM, MIA, GUS, FAY, DEE, CAT, DAN, ADA],
    ids=[
        "rep",
        "other rep",
        "supervisor",
        "sales manager",
        "marketing VP",
        "GM",
        "finance VP",
        "sales desk",
        "customer service",
        "other customer service",
        "admin",
    ],
)
async def test_only_the_accountant_records_payments(someone: int) -> None:
    uow, contract_id = await contract_world()

    await assert_refused(uow, pay(uow, contract_id, "100.00", actor=someone), NotAllowed)
    with pytest.raises(NotAllowed):
        await collections.payable_contracts(uow, someone, "HT")


async def test_a_payment_needs_a_contract_in_force() -> None:
    uow, contract_id = await contract_world()
    closed = replace(uow.contracts[contract_id], status=ContractStatus.closed)
    await uow.contracts.save(closed, expected=ContractStatus.in_force)
    uow.baseline()

    await assert_refused(uow, pay(uow, contract_id, "100.00"), ContractNotInForce)


async def test_money_is_recorded_as_it_arrived_at_most_90_days_back() -> None:
    uow, contract_id = await contract_world()

    await assert_refused(
        uow,
        pay(uow, contract_id, "100.00", paid_on=TODAY - timedelta(days=91)),
        InputProblem,
    )
    await assert_refused(
        uow, pay(uow, contract_id, "100.00", paid_on=TODAY + timedelta(days=1)), InputProblem
    )


@pytest.mark.parametrize(
    ("stage", "after"),
    [
        (DealStage.delivered, DealStage.paid),
        (DealStage.contracted, DealStage.contracted),  # not delivered yet: left where it is
    ],
)
async def test_paid_in_full_a_delivered_deal_moves_to_paid(
    stage: DealStage, after: DealStage
) -> None:
    uow, contract_id = await contract_world(stage=stage)
    await pay(uow, contract_id, "4000.00")
    assert uow.deals.rows[0].stage is stage, "not paid in full yet"

    recorded = await pay(uow, contract_id, "3000.00")

    assert uow.deals.rows[0].stage is after
    assert isinstance(recorded, collections.PaymentRecorded)
    assert recorded.deal_paid is (after is DealStage.paid)
    assert uow.outbox.sent_to(ROB)[-1].params["deal_paid"] is recorded.deal_paid


@pytest.mark.parametrize("typed", ["HT-2026-0007", "0007", "acme", "ACME trad"])
async def test_the_accountant_finds_a_contract_in_force_by_number_or_customer(
    typed: str,
) -> None:
    uow, contract_id = await contract_world()

    found = await collections.payable_contracts(uow, ACE, typed)

    assert [(f.contract.id, f.customer_name, f.owner_name) for f in found] == [
        (contract_id, "Acme Trading", "Rob")
    ]
    assert await collections.payable_contracts(uow, ACE, "Globex") == []


async def test_a_search_longer_than_50_characters_is_refused() -> None:
    uow, _contract_id = await contract_world()

    with pytest.raises(InputProblem):
        await collections.payable_contracts(uow, ACE, "x" * 51)


async def test_the_payment_form_starts_from_the_outstanding_amount() -> None:
    uow, contract_id = await contract_world()
    await pay(uow, contract_id, "1500.00")

    file = await collections.payment_file(uow, ACE, contract_id)

    assert (file.deposit_received, file.collected, file.outstanding) == (
        D(3000),
        D("4500.00"),
        D("5500.00"),
    )
