"""Payments against a contract (回款, seed rule 5; issue 12, item 8): the accountant finds the
contract in force, records what came in, the rep and their supervisor are told, and a delivered
deal paid in full moves to `paid`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.core.contracts import Contract, ContractStatus
from bot.core.errors import NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.orders import DealStage, PaymentMethod, check_paid_on
from bot.core.payments import OverPayment, Payment, PaymentDraft, check_payment
from bot.core.ports import UnitOfWork
from bot.core.usecases.contract_search import ContractFile, contract_files, found_contracts
from bot.core.usecases.guards import active_person
from bot.core.usecases.orders import RECORDS_MONEY


@dataclass(frozen=True, slots=True)
class PaymentFile:
    """A contract with what was collected against it so far."""

    file: ContractFile
    deposit_received: Decimal
    payments: tuple[Payment, ...]

    @property
    def contract(self) -> Contract:
        return self.file.contract

    @property
    def collected(self) -> Decimal:
        return self.deposit_received + sum((p.amount for p in self.payments), Decimal(0))

    @property
    def outstanding(self) -> Decimal:
        return self.contract.amount - self.collected

    def check_room(self, amount: Decimal) -> None:
        """Refuse an amount that would take the collected past the contract amount."""
        if self.collected + amount > self.contract.amount:
            raise OverPayment(self.contract.amount, self.collected, amount)


@dataclass(frozen=True, slots=True)
class PaymentEntry:
    amount: Decimal
    paid_on: date
    method: PaymentMethod
    reference: str | None


@dataclass(frozen=True, slots=True)
class PaymentRecorded:
    payment: Payment
    first: bool  # the contract's first payment
    collected: Decimal
    outstanding: Decimal
    deal_paid: bool  # the deal moved to `paid` with it


async def _money_keeper(uow: UnitOfWork, actor_id: int) -> Person:
    actor = await active_person(uow, actor_id)
    if actor.role not in RECORDS_MONEY:
        raise NotAllowed(action="record_payment")
    return actor


async def payable_contracts(uow: UnitOfWork, actor_id: int, text: str) -> list[ContractFile]:
    """The contracts in force whose number or customer matches, for the accountant."""
    await _money_keeper(uow, actor_id)
    return await found_contracts(uow, text, {ContractStatus.in_force})


async def deposit_received(uow: UnitOfWork, contract: Contract) -> Decimal:
    """The deposit received on the contract's deal (定金, recorded before the contract)."""
    deal = await uow.deals.get(contract.deal_id)
    return deal.deposit.amount if deal is not None and deal.deposit is not None else Decimal(0)


async def _payment_file(uow: UnitOfWork, contract_id: int) -> PaymentFile:
    contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound(what="contract")
    (file,) = await contract_files(uow, [contract])
    payments = tuple(await uow.payments.for_contract(contract.id))
    return PaymentFile(file, await deposit_received(uow, contract), payments)


async def payment_file(uow: UnitOfWork, actor_id: int, contract_id: int) -> PaymentFile:
    """What the payment form starts from: the contract, the collected and the outstanding."""
    await _money_keeper(uow, actor_id)
    return await _payment_file(uow, contract_id)


async def check_amount(uow: UnitOfWork, actor_id: int, contract_id: int, amount: Decimal) -> None:
    """The amount typed into the form, refused at once when it would over-pay the contract."""
    (await payment_file(uow, actor_id, contract_id)).check_room(amount)


async def record_payment(
    uow: UnitOfWork,
    *,
    actor_id: int,
    contract_id: int,
    entry: PaymentEntry,
    today: date,
    now: datetime,
) -> PaymentRecorded:
    """Seed rule 5: the accountant records money received against a contract in force. The
    contract's row is held before what was collected is read, so two payments recorded at
    once are checked one after the other and together never pass the contract amount. The
    rep and their supervisor are told; a deal at `delivered` that is now paid in full moves
    to `paid` (one that is not delivered yet stays where it is)."""
    actor = await _money_keeper(uow, actor_id)
    check_paid_on(entry.paid_on, today)
    await uow.contracts.hold(contract_id)
    before = await _payment_file(uow, contract_id)
    draft = PaymentDraft(
        before.contract.id, entry.amount, entry.paid_on, entry.method, entry.reference
    )
    check_payment(before.contract, before.collected, draft, today)
    payment = await uow.payments.add(draft, recorded_by=actor.id, now=now)
    after = PaymentFile(before.file, before.deposit_received, (*before.payments, payment))
    recorded = PaymentRecorded(
        payment,
        first=not before.payments,
        collected=after.collected,
        outstanding=after.outstanding,
        deal_paid=await _paid_up(uow, after, now),
    )
    await uow.outbox.add_many(await _payment_notices(uow, after, recorded, actor), now)
    await uow.audit.add(
        AuditEntry("payment_recorded", actor.id, now, f"contract:{before.contract.id}")
    )
    await uow.commit()
    return recorded


async def _paid_up(uow: UnitOfWork, file: PaymentFile, now: datetime) -> bool:
    if file.outstanding > 0:
        return False
    deal = await uow.deals.get(file.contract.deal_id)
    if deal is None or deal.stage is not DealStage.delivered:
        return False
    return await uow.deals.move(deal.id, DealStage.delivered, DealStage.paid, now)


async def _payment_notices(
    uow: UnitOfWork, file: PaymentFile, recorded: PaymentRecorded, actor: Person
) -> list[Notification]:
    payment = recorded.payment
    params = {
        "contract_id": file.contract.id,
        "number": file.contract.number,
        "customer": file.file.customer_name,
        "amount": str(payment.amount),
        "paid_on": payment.paid_on.isoformat(),
        "method": payment.method.value,
        "first": recorded.first,
        "collected": str(recorded.collected),
        "contract_amount": str(file.contract.amount),
        "outstanding": str(recorded.outstanding),
        "deal_paid": recorded.deal_paid,
        "by": actor.full_name,
    }
    owner = await uow.people.get(file.contract.owner_id)
    told = [file.contract.owner_id]
    if owner is not None and owner.reports_to is not None:
        told.append(owner.reports_to)
    return [Notification(pid, "payment_received", params) for pid in dict.fromkeys(told)]
