"""Commission sheets (业务提成, seed rule 9; issue 13, item 5): the sales desk files a rep's sheet
for a month just ended, generated from the payments of that month on contracts the rep owns,
less the month's overdue deductions; the policy's chain (approval["commission"]: accountant,
finance VP, general manager) checks it in turn, any of them may return it with a reason, and
the accountant marks it paid. The rep is told at approval and at payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.core.calendar import last_month, local, month_end, month_start
from bot.core.collections import (
    COMMISSION_STATUSES,
    commission_sheet,
    receipts_of,
)
from bot.core.commission import (
    MonthNotOver,
    NothingToFile,
    SheetAlreadyFiled,
    SheetDraft,
    SheetRecord,
    SheetStatus,
    month_deduction,
    waits_for,
)
from bot.core.contracts import Contract
from bot.core.errors import NotAllowed, NotFound
from bot.core.models import AuditEntry, Person
from bot.core.orders import may_file
from bot.core.org import holding
from bot.core.payments import Payment
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.commission_view import (
    SheetView,
    card,
    people_by_id,
    sheet_ref,
    sheet_view,
)
from bot.core.usecases.guards import active_person

OWNED_BATCH = 200
PAYS = Role.accountant


@dataclass(frozen=True, slots=True)
class SheetScreen:
    view: SheetView
    may_check: bool
    may_return: bool
    may_pay: bool


@dataclass(frozen=True, slots=True)
class RepDue:
    """A rep whose sheet for the month waits to be filed: money was collected for them."""

    rep_id: int
    name: str
    collected: Decimal


@dataclass(frozen=True, slots=True)
class CommissionQueue:
    month: date  # the month just ended
    to_file: list[RepDue]
    to_check: list[SheetRecord]
    to_pay: list[SheetRecord]
    names: dict[int, str]


def chain(policy: Policy) -> tuple[Role, ...]:
    return policy.approval["commission"].chain


def _check_filer(actor: Person, rep: Person, policy: Policy, people: dict[int, Person]) -> None:
    desk = bool(holding(people.values(), Role.sales_desk))
    if not may_file(actor, rep.id, policy.orders.filed_by, desk):
        raise NotAllowed(action="file_commission")


async def _rep(uow: UnitOfWork, rep_id: int) -> Person:
    rep = await uow.people.get(rep_id)
    if rep is None or rep.role is not Role.rep:
        raise NotFound(what="person")
    return rep


async def _owned(uow: UnitOfWork, rep_id: int, end: date) -> list[Contract]:
    """The rep's contracts in force or closed that had money due by the month's end."""
    found: list[Contract] = []
    while True:
        batch = await uow.contracts.ledger(
            owner_ids={rep_id},
            statuses=COMMISSION_STATUSES,
            due_before=end,
            limit=OWNED_BATCH,
            below_id=found[-1].id if found else None,
        )
        found += batch
        if len(batch) < OWNED_BATCH:
            return found


async def _deductions(
    uow: UnitOfWork, rep_id: int, month: date, policy: Policy
) -> dict[int, Decimal]:
    owned = await _owned(uow, rep_id, month_end(month))
    payments = await uow.payments.for_contracts([c.id for c in owned])
    deposits = await uow.deals.deposit_receipts({c.deal_id for c in owned})
    found: dict[int, Decimal] = {}
    for c in owned:
        receipts = receipts_of(deposits.get(c.deal_id), payments.get(c.id, []))
        cut = month_deduction(c.schedule, receipts, month, policy.collections)
        if cut > 0:
            found[c.id] = cut
    return found


# How far back a sheet looks for money no sheet counted yet: the desk files up to a year back.
LOOKBACK_MONTHS = 12


async def month_payments(uow: UnitOfWork, rep_id: int, month: date) -> list[Payment]:
    """The payments the rep's sheet for the month may count: paid in the month, and paid in
    the LOOKBACK_MONTHS before it but on no live sheet yet (recorded late, or on a contract
    co-signed late). Two reads, whatever the rep's history within that window."""
    since = month_start(month)
    for _ in range(LOOKBACK_MONTHS):
        since = last_month(since)
    paid = await uow.payments.paid_between(since, month_end(month), owner_ids={rep_id})
    counted = {
        payment_id
        for sheet in await uow.commission_sheets.live_of(rep_id)
        for line in sheet.lines
        for payment_id in line.payment_ids
    }
    return [p for p in paid if p.id not in counted]


async def _generated(uow: UnitOfWork, rep_id: int, month: date, policy: Policy) -> SheetView:
    payments = await month_payments(uow, rep_id, month)
    contracts = await uow.contracts.by_ids({p.contract_id for p in payments})
    sheet = commission_sheet(
        rep_id,
        month,
        payments,
        {c.id: c for c in contracts},
        policy.collections.commission_rate,
        deductions=await _deductions(uow, rep_id, month, policy),
    )
    return await sheet_view(uow, rep_id, month, sheet, None, payments)


async def reps_to_file(uow: UnitOfWork, actor_id: int, policy: Policy) -> list[Person]:
    """The active reps whose sheets the actor files: every rep for the desk, their own for a
    rep where reps file (or nobody is at the desk)."""
    actor = await active_person(uow, actor_id)
    people = await people_by_id(uow)
    desk = bool(holding(people.values(), Role.sales_desk))
    reps = [
        p
        for p in holding(people.values(), Role.rep)
        if may_file(actor, p.id, policy.orders.filed_by, desk)
    ]
    if not reps:
        raise NotAllowed(action="file_commission")
    return sorted(reps, key=lambda p: p.full_name)


async def commission_draft(
    uow: UnitOfWork, *, actor_id: int, rep_id: int, month: date, policy: Policy, today: date
) -> SheetView:
    """The rep's sheet for the month as it would be filed, generated from the payments."""
    actor = await active_person(uow, actor_id)
    rep = await _rep(uow, rep_id)
    _check_filer(actor, rep, policy, await people_by_id(uow))
    if month_end(month) >= today:
        raise MonthNotOver()
    return await _generated(uow, rep.id, month_start(month), policy)


async def file_sheet(
    uow: UnitOfWork, *, actor_id: int, rep_id: int, month: date, policy: Policy, now: datetime
) -> SheetRecord:
    """Generated again and filed; the first of the chain gets it to check."""
    view = await commission_draft(
        uow,
        actor_id=actor_id,
        rep_id=rep_id,
        month=month,
        policy=policy,
        today=local(now, policy).date(),
    )
    if not view.sheet.lines:
        raise NothingToFile()
    if any(s.rep_id == rep_id for s in await uow.commission_sheets.live(view.month)):
        raise SheetAlreadyFiled()
    draft = SheetDraft(rep_id, view.month, view.sheet)
    record = await uow.commission_sheets.add(draft, filed_by=actor_id, now=now)
    await tell_checkers(uow, _filed(view, record), record, policy, now)
    await uow.audit.add(AuditEntry("commission_filed", actor_id, now, sheet_ref(record.id)))
    await uow.commit()
    return record


def _filed(view: SheetView, record: SheetRecord) -> SheetView:
    return SheetView(
        view.rep_id, view.month, view.sheet, record, view.contracts, view.payments, view.names
    )


async def tell_checkers(
    uow: UnitOfWork, view: SheetView, record: SheetRecord, policy: Policy, now: datetime
) -> None:
    """A card to everyone holding the role the sheet now waits for (the accountants once it is
    approved, to pay it)."""
    role = waits_for(record, chain(policy))
    if role is None and record.status is SheetStatus.approved:
        role = PAYS
    if role is None:
        return
    people = await uow.people.all()
    final = record.status is SheetStatus.filed and record.step == len(chain(policy)) - 1
    await uow.outbox.add_many(
        [card(p.id, view, record, final=final) for p in holding(people, role)], now
    )
