"""The contract application (合同申报单, seed rule 2) filed from a deal whose deposit is in, its
way through the approval engine as a request of kind "contract" (the sales manager 审签, the
general manager 签批), and finance's co-signature (会签, rule 3) that puts it in the ledger."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from bot.core.approvals import ApprovalRequest
from bot.core.contract_terms import ContractLine, PaymentSchedule
from bot.core.contracts import (
    Contract,
    ContractDraft,
    ContractStatus,
    check_application,
    cosigned,
)
from bot.core.deals import DealTerms, unit_price
from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.orders import Deal, DealStage, StageOrder, check_move, may_file
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.approval_views import application_params
from bot.core.usecases.approvals import file_request
from bot.core.usecases.contract_settle import (
    CONTRACT_KIND,
    COSIGNERS,
    cosign_ref,
    cosigners,
)
from bot.core.usecases.guards import active_person
from bot.core.usecases.orders import DealFile, deal_files
from bot.core.usecases.production import production_notice_due

# An application that is going through approval, waits for finance, or is in force: the deal
# has its contract (a refused, returned or withdrawn one leaves room for a new application).
_LIVE = frozenset({ContractStatus.applied, ContractStatus.awaiting_cosign, ContractStatus.in_force})


@dataclass(frozen=True, slots=True)
class ApplicationStart:
    """What the form starts from: the approved terms as one line, the deposit received."""

    file: DealFile
    lines: tuple[ContractLine, ...]
    deposit: Decimal


async def _desk_staffed(uow: UnitOfWork) -> bool:
    return any(p.active and p.role is Role.sales_desk for p in await uow.people.all())


async def _filer(uow: UnitOfWork, actor: Person, deal: Deal, policy: Policy) -> None:
    if not may_file(actor, deal.owner_id, policy.orders.filed_by, await _desk_staffed(uow)):
        raise NotAllowed(action="file_application")


async def _fileable(uow: UnitOfWork, actor_id: int, deal_id: int, policy: Policy) -> Deal:
    actor = await active_person(uow, actor_id)
    deal = await uow.deals.get(deal_id)
    if deal is None:
        raise NotFound(what="deal")
    await _filer(uow, actor, deal, policy)
    check_move(deal.stage, DealStage.contracted)  # the deposit comes first
    if any(c.status in _LIVE for c in await uow.contracts.for_deal(deal.id)):
        raise InvalidChange("application_filed")
    return deal


def _first_lines(file: DealFile) -> tuple[ContractLine, ...]:
    terms = file.terms
    if terms is None:
        return ()
    price = unit_price(terms.amount, terms.quantity)
    return (ContractLine(terms.product, terms.quantity, price, terms.discount),)


async def application_start(
    uow: UnitOfWork, actor_id: int, deal_id: int, policy: Policy
) -> ApplicationStart:
    deal = await _fileable(uow, actor_id, deal_id, policy)
    [file] = await deal_files(uow, [deal])
    deposit = deal.deposit.amount if deal.deposit else Decimal(0)
    return ApplicationStart(file, _first_lines(file), deposit)


async def applications_to_file(uow: UnitOfWork, actor_id: int, policy: Policy) -> list[DealFile]:
    """The filer's queue: deals whose deposit is in and that have no live application, the
    longest waiting first. The sales desk sees them all; a rep who files sees their own."""
    actor = await active_person(uow, actor_id)
    staffed = await _desk_staffed(uow)
    waiting = [
        d
        for d in await uow.deals.in_stage(DealStage.deposit_paid)
        if may_file(actor, d.owner_id, policy.orders.filed_by, staffed)
    ]
    live = {
        c.deal_id
        for c in await uow.contracts.for_deals([d.id for d in waiting])
        if c.status in _LIVE
    }
    return await deal_files(uow, [d for d in waiting if d.id not in live])


async def fileable_on_customer(
    uow: UnitOfWork, actor_id: int, customer_id: int, policy: Policy
) -> int | None:
    """The deal of this customer the actor may file an application for now, if any."""
    waiting = [
        f.deal.id
        for f in await applications_to_file(uow, actor_id, policy)
        if f.deal.customer_id == customer_id
    ]
    return waiting[0] if waiting else None


def request_terms(draft: ContractDraft, product_summary: str) -> DealTerms:
    """The application as the approval engine carries it: the customer, the amount and the
    deposit route and show it; the lines and the schedule stay on the contract record."""
    quantity = sum((line.quantity for line in draft.lines), Decimal(0))
    return DealTerms(
        customer_id=draft.customer_id,
        product=product_summary,
        quantity=quantity,
        amount=draft.amount,
        payment_terms=None,
        deposit=draft.schedule.deposit,
    )


def product_summary(lines: tuple[ContractLine, ...]) -> str:
    first = lines[0].product if lines else "—"
    return first if len(lines) < 2 else f"{first} (+{len(lines) - 1})"


async def file_application(
    uow: UnitOfWork,
    *,
    actor_id: int,
    deal_id: int,
    lines: tuple[ContractLine, ...],
    schedule: PaymentSchedule,
    delivery_date: date,
    policy: Policy,
    today: date,
    now: datetime,
    cc: Collection[int] = (),
) -> Contract:
    """Seed rule 2: the application goes to the sales manager and the general manager through
    the same engine as special terms (cards, opinions, deadlines, delegation, audit); `cc`:
    whom the rep adds to inform (抄送)."""
    deal = await _fileable(uow, actor_id, deal_id, policy)
    draft = ContractDraft(deal.id, deal.customer_id, deal.owner_id, lines, schedule, delivery_date)
    check_application(draft, today)
    contract = await uow.contracts.apply(draft, filed_by=actor_id, now=now)
    linked = contract

    async def attach(request: ApprovalRequest) -> None:
        nonlocal linked
        linked = replace(contract, request_id=request.id)
        await uow.contracts.save(linked, expected=ContractStatus.applied)

    await file_request(
        uow,
        kind=CONTRACT_KIND,
        requester_id=actor_id,
        terms=request_terms(draft, product_summary(lines)),
        policy=policy,
        now=now,
        attach=attach,
        cc=cc,
    )
    await uow.commit()
    return linked


async def _cosigner(uow: UnitOfWork, actor_id: int) -> Person:
    actor = await active_person(uow, actor_id)
    if actor.role not in COSIGNERS:
        raise NotAllowed(action="cosign")
    return actor


async def contracts_to_cosign(uow: UnitOfWork, actor_id: int) -> list[Contract]:
    actor = await active_person(uow, actor_id)
    if actor.role not in COSIGNERS:
        return []
    return list(await uow.contracts.ledger(statuses={ContractStatus.awaiting_cosign}, limit=50))


async def cosign_file(uow: UnitOfWork, actor_id: int, contract_id: int) -> Contract:
    await _cosigner(uow, actor_id)
    contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound(what="contract")
    return contract


async def cosign(
    uow: UnitOfWork, *, actor_id: int, contract_id: int, policy: Policy, now: datetime
) -> Contract:
    """Seed rule 3: finance co-signs (会签); only then is the contract in the ledger and the
    deal contracted, and its production notice goes to the VP in charge of sales (rule 6).
    Of two finance people tapping at once, one signs."""
    actor = await _cosigner(uow, actor_id)
    contract = await cosign_file(uow, actor_id, contract_id)
    signed = cosigned(contract, by=actor.id, now=now)
    if not await uow.contracts.save(signed, expected=ContractStatus.awaiting_cosign):
        raise StageOrder(DealStage.contracted, None)
    deal = await uow.deals.get(contract.deal_id)
    if deal is not None and deal.stage is DealStage.deposit_paid:
        await uow.deals.move(deal.id, DealStage.deposit_paid, DealStage.contracted, now)
    names = await uow.customers.names({contract.customer_id})
    params = {
        "contract_id": contract.id,
        "number": contract.number,
        "customer": names.get(contract.customer_id, "—"),
        "amount": str(contract.amount),
        "by": actor.full_name,
    }
    told = dict.fromkeys([contract.owner_id, contract.filed_by])
    notices = [Notification(pid, "contract_in_force", params) for pid in told]
    notices += [
        Notification(
            p.id,
            "contract_cosigned",
            params,
            ref=cosign_ref(contract.id),
            edit=True,
            edit_only=True,
        )
        for p in await cosigners(uow)
    ]
    await uow.outbox.add_many(notices, now)
    await production_notice_due(uow, signed, now, policy)
    await uow.audit.add(AuditEntry("contract_cosigned", actor.id, now, f"contract:{contract.id}"))
    await uow.commit()
    return signed


async def customer_names(uow: UnitOfWork, customer_ids: list[int]) -> dict[int, str]:
    return await uow.customers.names(set(customer_ids))


def contract_params(contract: Contract, names: dict[int, str]) -> dict[str, object]:
    """A contract as a message shows it: its customer, lines, schedule and delivery date."""
    return {**application_params(contract), "customer": names.get(contract.customer_id, "—")}


async def contract_of_request(uow: UnitOfWork, request_id: int) -> int | None:
    """The contract an application's request carries (the caller has checked the request is
    the actor's to see)."""
    contract = await uow.contracts.by_request(request_id)
    return contract.id if contract is not None else None
