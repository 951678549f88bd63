"""Invoices on a contract (发票, seed rule 11): asked for by the contract's rep or the sales
desk from the policy's threshold collected, signed by the finance VP through the approval
engine (kind "invoice"), issued by an accountant with its number and date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from bot.core.approvals import ApprovalRequest
from bot.core.collections import check_invoice
from bot.core.contracts import Contract, ContractNotInForce, ContractStatus
from bot.core.deals import DealTerms, to_cent
from bot.core.errors import NotAllowed, NotFound
from bot.core.invoices import (
    FullyInvoiced,
    Invoice,
    InvoiceAlreadyMoved,
    InvoiceNumberTaken,
    InvoiceStatus,
    check_amount,
    clean_number,
    issue,
    may_ask,
    room,
)
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.approvals import file_request
from bot.core.usecases.collections import deposit_received
from bot.core.usecases.guards import active_person
from bot.core.usecases.invoice_settle import INVOICE_KIND, accountants, invoice_ref

ISSUERS = frozenset({Role.accountant})
# A contract paid and closed before anyone asked still gets its invoice.
INVOICEABLE = frozenset({ContractStatus.in_force, ContractStatus.closed})


@dataclass(frozen=True, slots=True)
class InvoiceStart:
    """What the ask starts from: the contract, what is collected, what may still be invoiced."""

    contract: Contract
    collected: Decimal
    room: Decimal


async def _collected(uow: UnitOfWork, contract: Contract) -> Decimal:
    paid = sum((p.amount for p in await uow.payments.for_contract(contract.id)), Decimal(0))
    return to_cent(await deposit_received(uow, contract) + paid)


async def _asker(uow: UnitOfWork, actor_id: int, contract_id: int) -> Contract:
    actor = await active_person(uow, actor_id)
    contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound(what="contract")
    if not may_ask(actor, contract.owner_id):
        raise NotAllowed(action="ask_invoice")
    return contract


async def invoice_start(
    uow: UnitOfWork, actor_id: int, contract_id: int, policy: Policy
) -> InvoiceStart:
    """The gate, checked when the ask begins: a contract in force (or closed), the threshold collected
    (`InvoiceTooEarly` with the figures), something left to invoice."""
    contract = await _asker(uow, actor_id, contract_id)
    if contract.status not in INVOICEABLE:
        raise ContractNotInForce(contract.number, contract.status)
    collected = await _collected(uow, contract)
    check_invoice(contract.amount, collected, policy.invoice_threshold)
    free = room(contract.amount, await uow.invoices.for_contract(contract.id))
    if free <= 0:
        raise FullyInvoiced(contract.number)
    return InvoiceStart(contract, collected, free)


def _terms(contract: Contract, amount: Decimal) -> DealTerms:
    return DealTerms(
        customer_id=contract.customer_id,
        product=contract.number or "—",
        quantity=Decimal(1),
        amount=amount,
    )


async def ask_invoice(
    uow: UnitOfWork,
    *,
    actor_id: int,
    contract_id: int,
    amount: Decimal,
    policy: Policy,
    now: datetime,
) -> Invoice:
    """Seed rule 11: the ask goes to the finance VP (`policy.approval["invoice"]`). The
    contract's row is held first, so two asks at once never invoice past its amount."""
    await uow.contracts.hold(contract_id)
    start = await invoice_start(uow, actor_id, contract_id, policy)
    invoice = await uow.invoices.add(
        contract_id,
        amount=check_amount(amount, start.room),
        collected=start.collected,
        asked_by=actor_id,
        now=now,
    )
    linked = invoice

    async def attach(request: ApprovalRequest) -> None:
        nonlocal linked
        linked = replace(invoice, request_id=request.id)
        await uow.invoices.save(linked, expected=InvoiceStatus.asked)

    await file_request(
        uow,
        kind=INVOICE_KIND,
        requester_id=actor_id,
        terms=_terms(start.contract, linked.amount),
        policy=policy,
        now=now,
        attach=attach,
    )
    await uow.commit()
    return linked


async def _issuer(uow: UnitOfWork, actor_id: int) -> Person:
    actor = await active_person(uow, actor_id)
    if actor.role not in ISSUERS:
        raise NotAllowed(action="issue_invoice")
    return actor


@dataclass(frozen=True, slots=True)
class IssueFile:
    invoice: Invoice
    contract: Contract
    customer_name: str


async def _issue_files(uow: UnitOfWork, invoices: list[Invoice]) -> list[IssueFile]:
    contracts = {c.id: c for c in await uow.contracts.by_ids({i.contract_id for i in invoices})}
    names = await uow.customers.names({c.customer_id for c in contracts.values()})
    return [
        IssueFile(i, contracts[i.contract_id], names.get(contracts[i.contract_id].customer_id, "—"))
        for i in invoices
        if i.contract_id in contracts
    ]


async def invoices_to_issue(uow: UnitOfWork, actor_id: int) -> list[IssueFile]:
    """The accountant's queue: invoices the finance VP signed, oldest first."""
    actor = await active_person(uow, actor_id)
    if actor.role not in ISSUERS:
        return []
    return await _issue_files(uow, list(await uow.invoices.in_status(InvoiceStatus.approved)))


async def issue_file(uow: UnitOfWork, actor_id: int, invoice_id: int) -> IssueFile:
    await _issuer(uow, actor_id)
    invoice = await uow.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(what="invoice")
    if invoice.status is not InvoiceStatus.approved:
        raise InvoiceAlreadyMoved(invoice.number)
    (file,) = await _issue_files(uow, [invoice])
    return file


async def check_number_free(uow: UnitOfWork, number: str) -> None:
    """Refuse a number another invoice already carries (the form asks again at once)."""
    taken = await uow.invoices.by_number(clean_number(number))
    if taken is not None:
        contract = await uow.contracts.get(taken.contract_id)
        raise InvoiceNumberTaken(taken.number or number, contract.number if contract else None)


async def issue_invoice(
    uow: UnitOfWork,
    *,
    actor_id: int,
    invoice_id: int,
    number: str,
    issued_on: date,
    today: date,
    now: datetime,
) -> Invoice:
    """The accountant records the signed invoice's number and date; of two tapping at once,
    one issues. The asker, the contract's rep and the sales desk are told; the other
    accountants' messages say who issued it."""
    actor = await _issuer(uow, actor_id)
    file = await issue_file(uow, actor_id, invoice_id)
    issued = issue(
        file.invoice, number=number, issued_on=issued_on, by=actor.id, today=today, now=now
    )
    await check_number_free(uow, issued.number or number)
    if not await uow.invoices.save(issued, expected=InvoiceStatus.approved):
        raise InvoiceAlreadyMoved(None)
    await uow.outbox.add_many(await _issued_notices(uow, file, issued, actor), now)
    await uow.audit.add(AuditEntry("invoice_issued", actor.id, now, f"invoice:{issued.id}"))
    await uow.commit()
    return issued


async def _issued_notices(
    uow: UnitOfWork, file: IssueFile, issued: Invoice, actor: Person
) -> list[Notification]:
    params = {
        **invoice_params(file.contract, issued, file.customer_name),
        "by": actor.full_name,
    }
    desk = [p.id for p in await uow.people.all() if p.active and p.role is Role.sales_desk]
    told = dict.fromkeys([issued.asked_by, file.contract.owner_id, *desk])
    notices = [Notification(pid, "invoice_issued", params) for pid in told]
    notices += [
        Notification(
            p.id,
            "invoice_to_issue_done",
            params,
            ref=invoice_ref(issued.id),
            edit=True,
            edit_only=True,
        )
        for p in await accountants(uow)
    ]
    return notices


def invoice_params(contract: Contract, invoice: Invoice, customer: str) -> dict[str, object]:
    return {
        "invoice_id": invoice.id,
        "contract_id": contract.id,
        "contract": contract.number or "—",
        "customer": customer,
        "amount": str(invoice.amount),
        "number": invoice.number,
        "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
    }
