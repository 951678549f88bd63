"""Invoices (issue 13, item 4; seed rule 11): the 60 % gate at its boundary and after partial
payments, who may ask and issue, the finance VP's signature through the engine, the
accountant's number and date, and what is told to whom."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE
from follow_on_world import DAN, DEE, NOW, TODAY, contract_world
from refusals import assert_refused
from routine_fakes import CAT, RoutineUnitOfWork

from bot.core.approvals import Decision, StepStatus
from bot.core.collections import InvoiceTooEarly
from bot.core.contracts import ContractNotInForce, ContractStatus
from bot.core.deals import InputProblem
from bot.core.errors import NotAllowed
from bot.core.invoices import (
    InvoiceAlreadyMoved,
    InvoiceAmount,
    InvoiceNumberTaken,
    InvoiceStatus,
)
from bot.core.orders import PaymentMethod
from bot.core.payments import PaymentDraft
from bot.core.policy import Policy
from bot.core.usecases import approvals, invoices
from bot.core.usecases.approval_views import load_view
from bot.core.usecases.ledger import contract_file

D = Decimal
POLICY = Policy()
EVERYONE = {
    "other rep": RAY,
    "supervisor": SUE,
    "other supervisor": SID,
    "sales manager": SAM,
    "marketing VP": MIA,
    "accountant": ACE,
    "finance VP": FAY,
    "GM": GUS,
    "customer service": CAT,
    "other customer service": DAN,
    "admin": ADA,
}


async def paid(uow: RoutineUnitOfWork, contract_id: int, *amounts: str) -> None:
    for amount in amounts:
        draft = PaymentDraft(contract_id, D(amount), TODAY, PaymentMethod.bank_transfer)
        await uow.payments.add(draft, recorded_by=ACE, now=NOW)
    uow.baseline()


async def ask(uow: RoutineUnitOfWork, contract_id: int, amount: str = "4000", actor: int = DEE):
    return await invoices.ask_invoice(
        uow, actor_id=actor, contract_id=contract_id, amount=D(amount), policy=POLICY, now=NOW
    )


async def decide(uow: RoutineUnitOfWork, decision: Decision, actor: int = FAY) -> None:
    [step] = [s for s in uow.steps.rows.values() if s.status is StepStatus.pending]
    await approvals.decide(
        uow,
        step_id=step.id,
        actor_id=actor,
        decision=decision,
        comment=None if decision is Decision.approve else "Not yet",
        policy=POLICY,
        now=NOW,
    )


async def approved_world() -> tuple[RoutineUnitOfWork, int]:
    uow, contract_id = await contract_world()  # 10,000.00, the 3,000.00 deposit in
    await paid(uow, contract_id, "3000")
    invoice = await ask(uow, contract_id, "10000")
    await decide(uow, Decision.approve)
    uow.outbox.queued.clear()
    uow.baseline()
    return uow, invoice.id


# ---- the gate -------------------------------------------------------------------------------


async def test_59_99_percent_is_refused_with_the_exact_figures() -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "2999")  # 3,000 deposit + 2,999 = 5,999.00 of 10,000.00

    refused = await assert_refused(uow, ask(uow, contract_id), InvoiceTooEarly)

    assert (refused.percent, refused.amount, refused.collected, refused.needed) == (
        D("59.99"),
        D(10000),
        D(5999),
        D("1.00"),
    )
    assert uow.invoices.rows == {}


async def test_60_00_percent_is_allowed_and_goes_to_the_finance_vp() -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")

    invoice = await ask(uow, contract_id, "4000")

    assert (invoice.status, invoice.amount, invoice.collected) == (
        InvoiceStatus.asked,
        D(4000),
        D(6000),
    )
    request = uow.requests.rows[invoice.request_id]  # type: ignore[index]
    assert (request.kind, request.terms.product, request.terms.amount) == (
        "invoice",
        "HT-2026-0007",
        D(4000),
    )
    assert [s.approver_id for s in uow.steps.rows.values()] == [FAY]
    view = await load_view(uow, request.id)
    assert view.invoice is not None
    assert (view.invoice["percent"], view.invoice["balance"]) == ("60.00", "4000.00")
    assert uow.committed


async def test_after_two_partial_payments_the_last_cent_opens_the_gate() -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "1500", "1499.99")

    refused = await assert_refused(uow, ask(uow, contract_id), InvoiceTooEarly)
    assert (refused.percent, refused.needed) == (D("59.99"), D("0.01"))

    await paid(uow, contract_id, "0.01")
    assert (await ask(uow, contract_id)).status is InvoiceStatus.asked


async def test_the_invoiced_total_never_passes_the_contract_amount() -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")
    await ask(uow, contract_id, "6000")
    uow.baseline()

    refused = await assert_refused(uow, ask(uow, contract_id, "4000.01"), InvoiceAmount)

    assert (refused.asked, refused.room) == (D("4000.01"), D(4000))
    assert (await ask(uow, contract_id, "4000")).amount == D(4000)


async def test_a_refused_invoice_frees_its_amount_for_a_new_ask() -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")
    first = await ask(uow, contract_id, "10000")

    await decide(uow, Decision.reject)

    assert uow.invoices.rows[first.id].status is InvoiceStatus.refused
    assert (await ask(uow, contract_id, "10000")).status is InvoiceStatus.asked


async def test_a_withdrawn_ask_ends_and_frees_its_amount() -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")
    first = await ask(uow, contract_id, "10000", actor=ROB)

    await approvals.withdraw(uow, request_id=first.request_id, actor_id=ROB, now=NOW)  # type: ignore[arg-type]

    assert uow.invoices.rows[first.id].status is InvoiceStatus.withdrawn
    assert uow.templates_to(ACE) == []
    assert (await ask(uow, contract_id, "10000")).status is InvoiceStatus.asked


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (ContractStatus.closed, True),
        (ContractStatus.awaiting_cosign, False),
        (ContractStatus.refused, False),
    ],
)
async def test_a_contract_in_force_or_closed_is_invoiced(
    status: ContractStatus, allowed: bool
) -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")
    uow.contracts.rows[contract_id] = replace(uow.contracts.rows[contract_id], status=status)
    uow.baseline()

    if allowed:
        assert (await ask(uow, contract_id)).status is InvoiceStatus.asked
    else:
        await assert_refused(uow, ask(uow, contract_id), ContractNotInForce)


# ---- who asks -------------------------------------------------------------------------------


@pytest.mark.parametrize("someone", [pytest.param(v, id=k) for k, v in EVERYONE.items()])
async def test_only_the_contracts_rep_and_the_sales_desk_ask(someone: int) -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")

    await assert_refused(uow, ask(uow, contract_id, actor=someone), NotAllowed)


@pytest.mark.parametrize("asker", [pytest.param(ROB, id="rep"), pytest.param(DEE, id="desk")])
async def test_the_rep_and_the_desk_ask(asker: int) -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")

    assert (await ask(uow, contract_id, actor=asker)).asked_by == asker


# ---- signed, then issued -------------------------------------------------------------------


async def test_signed_by_the_finance_vp_every_accountant_is_asked_to_issue() -> None:
    uow, contract_id = await contract_world()
    await paid(uow, contract_id, "3000")
    invoice = await ask(uow, contract_id, "10000")

    await decide(uow, Decision.approve)

    assert uow.invoices.rows[invoice.id].status is InvoiceStatus.approved
    [message] = [n for n in uow.outbox.sent_to(ACE) if n.template == "invoice_to_issue"]
    assert (message.ref, message.params["contract"]) == (f"invoice:{invoice.id}", "HT-2026-0007")
    assert [f.invoice.id for f in await invoices.invoices_to_issue(uow, ACE)] == [invoice.id]
    assert await invoices.invoices_to_issue(uow, DEE) == []


async def test_the_accountant_records_the_number_and_the_ledger_follows_the_balance() -> None:
    uow, invoice_id = await approved_world()

    issued = await invoices.issue_invoice(
        uow,
        actor_id=ACE,
        invoice_id=invoice_id,
        number=" fp12345678 ",
        issued_on=TODAY,
        today=TODAY,
        now=NOW,
    )

    assert (issued.status, issued.number, issued.issued_on, issued.issued_by) == (
        InvoiceStatus.issued,
        "FP12345678",
        TODAY,
        ACE,
    )
    told = [(rid, template) for rid, template in uow.queued() if template == "invoice_issued"]
    assert told == [(DEE, "invoice_issued"), (ROB, "invoice_issued")]
    [done] = uow.outbox.sent_to(ACE)
    assert (done.template, done.edit, done.edit_only) == ("invoice_to_issue_done", True, True)
    card = await contract_file(uow, ROB, 1, TODAY)
    assert [i.number for i in card.invoices] == ["FP12345678"]
    assert card.balance == D(4000)
    assert await invoices.invoices_to_issue(uow, ACE) == []


async def test_a_second_issue_is_refused() -> None:
    uow, invoice_id = await approved_world()
    await invoices.issue_invoice(
        uow, actor_id=ACE, invoice_id=invoice_id, number="1", issued_on=TODAY, today=TODAY, now=NOW
    )
    uow.baseline()

    again = invoices.issue_invoice(
        uow, actor_id=ACE, invoice_id=invoice_id, number="2", issued_on=TODAY, today=TODAY, now=NOW
    )
    await assert_refused(uow, again, InvoiceAlreadyMoved)


@pytest.mark.parametrize("someone", [ROB, DEE, FAY, GUS, ADA])
async def test_only_an_accountant_issues(someone: int) -> None:
    uow, invoice_id = await approved_world()
    issue = invoices.issue_invoice(
        uow,
        actor_id=someone,
        invoice_id=invoice_id,
        number="1",
        issued_on=TODAY,
        today=TODAY,
        now=NOW,
    )
    await assert_refused(uow, issue, NotAllowed)


@pytest.mark.parametrize(
    ("number", "issued_on"),
    [
        pytest.param("FP-1", TODAY, id="a dash"),
        pytest.param("发票1", TODAY, id="not ascii"),
        pytest.param("1" * 33, TODAY, id="33 long"),
        pytest.param("   ", TODAY, id="empty"),
        pytest.param("1", TODAY + timedelta(days=1), id="tomorrow"),
        pytest.param("1", TODAY - timedelta(days=91), id="91 days back"),
    ],
)
async def test_a_bad_number_or_date_is_refused(number: str, issued_on: object) -> None:
    uow, invoice_id = await approved_world()
    issue = invoices.issue_invoice(
        uow,
        actor_id=ACE,
        invoice_id=invoice_id,
        number=number,
        issued_on=issued_on,  # type: ignore[arg-type]
        today=TODAY,
        now=NOW,
    )
    await assert_refused(uow, issue, InputProblem)


async def test_a_number_already_on_another_invoice_is_refused_naming_its_contract() -> None:
    uow, invoice_id = await approved_world()
    first = await invoices.issue_invoice(
        uow,
        actor_id=ACE,
        invoice_id=invoice_id,
        number="FP1",
        issued_on=TODAY,
        today=TODAY,
        now=NOW,
    )
    other = replace(first, id=invoice_id + 1, status=InvoiceStatus.approved, number=None)
    uow.invoices.rows[other.id] = other
    uow.baseline()

    twice = invoices.issue_invoice(
        uow,
        actor_id=ACE,
        invoice_id=other.id,
        number=" fp1 ",
        issued_on=TODAY,
        today=TODAY,
        now=NOW,
    )

    taken = await assert_refused(uow, twice, InvoiceNumberTaken)
    assert (taken.number, taken.contract) == ("FP1", "HT-2026-0007")
