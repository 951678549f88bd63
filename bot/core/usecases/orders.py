"""The deal after 成交: the signed reservation, the deposit the accountant records with its
receipt, and who is told at each step (seed phase 2, items 8–9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.core.approvals import ApprovalRequest
from bot.core.contracts import ContractStatus
from bot.core.deals import DealTerms, net_amount_of
from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.orders import (
    Deal,
    DealStage,
    Deposit,
    PaymentMethod,
    Reservation,
    StageOrder,
    check_move,
    check_paid_on,
    check_reservation,
    may_mark_lost,
)
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.customer_register import visible_customer
from bot.core.usecases.guards import active_person

# A contract application under way, awaiting finance, or in force: the deal is no longer lost.
LIVE_CONTRACT = frozenset(
    {ContractStatus.applied, ContractStatus.awaiting_cosign, ContractStatus.in_force}
)
# Who records money coming in: the accountant (会计), as the seed says.
RECORDS_MONEY = frozenset({Role.accountant})


@dataclass(frozen=True, slots=True)
class DealFile:
    """A deal with what is shown beside it: the customer, the rep, the approved terms."""

    deal: Deal
    customer_name: str
    owner_name: str
    terms: DealTerms | None  # the approved special terms it was won on; None: won without

    @property
    def agreed_amount(self) -> Decimal | None:
        """The amount the approved terms come to (after their discount)."""
        if self.terms is None:
            return None
        return net_amount_of(self.terms.amount, self.terms.discount)


async def deal_files(uow: UnitOfWork, deals: list[Deal]) -> list[DealFile]:
    names = await uow.customers.names({d.customer_id for d in deals})
    owners = {p.id: p.full_name for p in await uow.people.by_ids({d.owner_id for d in deals})}
    request_ids = [d.request_id for d in deals if d.request_id is not None]
    terms = {r.id: r.terms for r in await uow.requests.by_ids(request_ids)} if request_ids else {}
    return [
        DealFile(
            deal=d,
            customer_name=names.get(d.customer_id, "—"),
            owner_name=owners.get(d.owner_id, "—"),
            terms=terms.get(d.request_id) if d.request_id is not None else None,
        )
        for d in deals
    ]


async def _deal_file(uow: UnitOfWork, deal: Deal) -> DealFile:
    return (await deal_files(uow, [deal]))[0]


async def _own_deal(uow: UnitOfWork, actor_id: int, deal_id: int) -> Deal:
    """The deal, if the actor follows it; another rep's id names nothing (NotFound)."""
    actor = await active_person(uow, actor_id)
    deal = await uow.deals.get(deal_id)
    if deal is None or deal.owner_id != actor.id:
        raise NotFound(what="deal")
    return deal


async def reservation_file(uow: UnitOfWork, actor_id: int, deal_id: int) -> DealFile:
    """What the reservation form starts from; refused unless the deal waits for it."""
    deal = await _own_deal(uow, actor_id, deal_id)
    check_move(deal.stage, DealStage.reserved)
    return await _deal_file(uow, deal)


async def reservable(uow: UnitOfWork, actor_id: int, customer_id: int) -> list[Deal]:
    """The actor's deals with this customer that wait for their signed reservation."""
    return [
        d
        for d in await uow.deals.for_customer(customer_id)
        if d.owner_id == actor_id and d.stage is DealStage.negotiating
    ]


async def reservable_on_request(
    uow: UnitOfWork, actor_id: int, request: ApprovalRequest
) -> int | None:
    """The actor's deal won on this request, while it waits for its signed reservation."""
    deals = await reservable(uow, actor_id, request.terms.customer_id)
    return next((d.id for d in deals if d.request_id == request.id), None)


def _deposit_ref(deal_id: int) -> str:
    return f"deposit:{deal_id}"


async def _accountants(uow: UnitOfWork) -> list[Person]:
    return [p for p in await uow.people.all() if p.active and p.role in RECORDS_MONEY]


async def _moved(uow: UnitOfWork, deal: Deal, to: DealStage, now: datetime) -> None:
    check_move(deal.stage, to)
    if not await uow.deals.move(deal.id, deal.stage, to, now):
        raise StageOrder(to, None)  # another tap moved it first: already past that step


async def record_reservation(
    uow: UnitOfWork,
    *,
    actor_id: int,
    deal_id: int,
    amount: Decimal,
    expected_deposit: Decimal,
    signed_page: str,
    page_is_photo: bool,
    now: datetime,
) -> Deal:
    """Seed item 8: the rep records the reservation signed with the customer, on the approved
    terms; the accountant is told to expect the deposit the customer now brings to finance."""
    deal = await _own_deal(uow, actor_id, deal_id)
    check_reservation(amount, expected_deposit)
    await _moved(uow, deal, DealStage.reserved, now)
    reservation = Reservation(amount, expected_deposit, signed_page, page_is_photo, now)
    await uow.deals.reserve(deal.id, reservation)
    file = await _deal_file(uow, deal)
    params = _expected_params(file, reservation)
    await uow.outbox.add_many(
        [
            Notification(p.id, "deposit_expected", params, ref=_deposit_ref(deal.id))
            for p in await _accountants(uow)
        ],
        now,
    )
    await uow.audit.add(AuditEntry("deal_reserved", actor_id, now, f"deal:{deal.id}"))
    await uow.commit()
    return (await uow.deals.get(deal.id)) or deal


def _expected_params(file: DealFile, reservation: Reservation) -> dict[str, object]:
    return {
        "deal_id": file.deal.id,
        "customer": file.customer_name,
        "rep": file.owner_name,
        "amount": str(reservation.amount),
        "expected": str(reservation.expected_deposit),
        "reserved_at": reservation.at.isoformat(),
    }


async def _money_keeper(uow: UnitOfWork, actor_id: int) -> Person:
    actor = await active_person(uow, actor_id)
    if actor.role not in RECORDS_MONEY:
        raise NotAllowed(action="record_deposit")
    return actor


async def deposits_expected(uow: UnitOfWork, actor_id: int) -> list[DealFile]:
    """The accountant's queue: reserved deals whose deposit has not been recorded yet, the
    longest waiting first. Empty for anyone who does not record money."""
    actor = await active_person(uow, actor_id)
    if actor.role not in RECORDS_MONEY:
        return []
    return await deal_files(uow, list(await uow.deals.in_stage(DealStage.reserved)))


async def deposit_file(uow: UnitOfWork, actor_id: int, deal_id: int) -> DealFile:
    await _money_keeper(uow, actor_id)
    deal = await uow.deals.get(deal_id)
    if deal is None:
        raise NotFound(what="deal")
    check_move(deal.stage, DealStage.deposit_paid)
    return await _deal_file(uow, deal)


@dataclass(frozen=True, slots=True)
class DepositEntry:
    amount: Decimal
    paid_on: date
    method: PaymentMethod
    receipt_no: str
    reference: str | None


async def record_deposit(
    uow: UnitOfWork,
    *,
    actor_id: int,
    deal_id: int,
    entry: DepositEntry,
    today: date,
    now: datetime,
) -> Deal:
    """Seed item 9: the accountant records the deposit against the reservation and the number
    of the receipt she gave (a receipt, not an invoice). The rep and their supervisor are
    told; the other accountants' "expect a deposit" messages say it is done."""
    actor = await _money_keeper(uow, actor_id)
    deal = await uow.deals.get(deal_id)
    if deal is None:
        raise NotFound(what="deal")
    check_paid_on(entry.paid_on, today)
    await _moved(uow, deal, DealStage.deposit_paid, now)
    deposit = Deposit(
        entry.amount,
        entry.paid_on,
        entry.method,
        entry.receipt_no,
        entry.reference,
        actor.id,
        now,
    )
    await uow.deals.add_deposit(deal.id, deposit)
    file = await _deal_file(uow, deal)
    await uow.outbox.add_many(await _deposit_notices(uow, file, deposit, actor), now)
    await uow.audit.add(AuditEntry("deposit_recorded", actor.id, now, f"deal:{deal.id}"))
    await uow.commit()
    return (await uow.deals.get(deal.id)) or deal


async def _deposit_notices(
    uow: UnitOfWork, file: DealFile, deposit: Deposit, actor: Person
) -> list[Notification]:
    received = {
        "deal_id": file.deal.id,
        "customer": file.customer_name,
        "amount": str(deposit.amount),
        "paid_on": deposit.paid_on.isoformat(),
        "method": deposit.method.value,
        "receipt_no": deposit.receipt_no,
        "by": actor.full_name,
    }
    owner = await uow.people.get(file.deal.owner_id)
    told = [file.deal.owner_id]
    if owner is not None and owner.reports_to is not None:
        told.append(owner.reports_to)
    notices = [Notification(pid, "deposit_received", received) for pid in dict.fromkeys(told)]
    done = {**received, "done": True}
    notices += [
        Notification(
            p.id,
            "deposit_expected_done",
            done,
            ref=_deposit_ref(file.deal.id),
            edit=True,
            edit_only=True,
        )
        for p in await _accountants(uow)
    ]
    return notices


LOST_REASON_MAX = 300


async def losable(uow: UnitOfWork, actor_id: int, customer_id: int) -> list[Deal]:
    """The customer's deals the actor may mark lost: their own, or any for a manager who sees
    the customer; only before the contract (`orders.LOSABLE`)."""
    actor = await active_person(uow, actor_id)
    deals = [d for d in await uow.deals.for_customer(customer_id) if may_mark_lost(actor, d)]
    if deals and any(d.owner_id != actor.id for d in deals):
        await visible_customer(uow, actor_id, customer_id)
    return deals


async def mark_lost(
    uow: UnitOfWork, *, actor_id: int, deal_id: int, reason: str, now: datetime
) -> Deal:
    """The customer walked away before the contract (a signed contract is kept, so a deal is
    lost only before it). The reason is kept in the audit; finance, who expected or holds the
    deposit, and the rep's supervisor are told."""
    actor = await active_person(uow, actor_id)
    deal = await uow.deals.get(deal_id)
    if deal is None or (deal.owner_id != actor.id and not actor.manages):
        raise NotFound(what="deal")
    if deal.owner_id != actor.id:
        await visible_customer(uow, actor.id, deal.customer_id)  # NotFound outside their sight
    check_move(deal.stage, DealStage.lost)  # a signed contract is kept
    if any(c.status in LIVE_CONTRACT for c in await uow.contracts.for_deal(deal.id)):
        raise InvalidChange("application_filed")
    await _moved(uow, deal, DealStage.lost, now)
    file = await _deal_file(uow, deal)
    params = {
        "deal_id": deal.id,
        "customer": file.customer_name,
        "by": actor.full_name,
        "reason": reason,
    }
    await uow.outbox.add_many(await _lost_notices(uow, deal, actor, params), now)
    await uow.audit.add(AuditEntry("deal_lost", actor.id, now, f"deal:{deal.id}", comment=reason))
    await uow.commit()
    return (await uow.deals.get(deal.id)) or deal


async def _lost_notices(
    uow: UnitOfWork, deal: Deal, actor: Person, params: dict[str, object]
) -> list[Notification]:
    notices = []
    if deal.stage is DealStage.reserved:  # the deposit will not come: the message says so
        notices += [
            Notification(p.id, "deal_lost", params, ref=_deposit_ref(deal.id), edit=True)
            for p in await _accountants(uow)
        ]
    elif deal.stage is DealStage.deposit_paid:  # finance holds a deposit for a lost deal
        notices += [Notification(p.id, "deal_lost", params) for p in await _accountants(uow)]
    owner = await uow.people.get(deal.owner_id)
    told = {deal.owner_id, owner.reports_to if owner else None} - {actor.id, None}
    notices += [Notification(pid, "deal_lost", params) for pid in told if pid is not None]
    return notices
