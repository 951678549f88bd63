"""Commission sheets (业务提成, seed rule 9; issue 13, item 5): the sales desk files a rep's sheet
for a month just ended, generated from the payments of that month on contracts the rep owns,
less the month's overdue deductions; the policy's chain (approval["commission"]: accountant,
finance VP, general manager) checks it in turn, any of them may return it with a reason, and
the accountant marks it paid. The rep is told at approval and at payment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.core.collections import (
    COMMISSION_STATUSES,
    CommissionSheet,
    SheetLine,
    commission_sheet,
)
from bot.core.commission import (
    MonthNotOver,
    NothingToFile,
    SheetAlreadyFiled,
    SheetDraft,
    SheetRecord,
    SheetStatus,
    month_deduction,
    month_end,
    month_start,
    waits_for,
)
from bot.core.contracts import Contract
from bot.core.errors import NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.orders import may_file
from bot.core.payments import Payment
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.contract_search import ContractFile, contract_files
from bot.core.usecases.guards import active_person

OWNED_BATCH = 200
PAYS = Role.accountant


@dataclass(frozen=True, slots=True)
class SheetView:
    """A sheet (generated, or filed) with what its screen and cards show beside it."""

    rep_id: int
    month: date
    sheet: CommissionSheet
    record: SheetRecord | None
    contracts: dict[int, ContractFile]
    payments: dict[int, Payment]
    names: dict[int, str]

    def name(self, person_id: int | None) -> str:
        return "—" if person_id is None else self.names.get(person_id, "—")


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


def sheet_ref(sheet_id: int) -> str:
    return f"commission:{sheet_id}"


async def people_by_id(uow: UnitOfWork) -> dict[int, Person]:
    return {p.id: p for p in await uow.people.all()}


def holding(people: Iterable[Person], role: Role) -> list[Person]:
    return [p for p in people if p.active and p.role is role]


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
            offset=len(found),
        )
        found += batch
        if len(batch) < OWNED_BATCH:
            return found


async def _deductions(
    uow: UnitOfWork, rep_id: int, month: date, policy: Policy
) -> dict[int, Decimal]:
    owned = await _owned(uow, rep_id, month_end(month))
    payments = await uow.payments.for_contracts([c.id for c in owned])
    deposits = await uow.deals.deposits({c.deal_id for c in owned})
    found: dict[int, Decimal] = {}
    for c in owned:
        paid = payments.get(c.id, [])
        deposit = deposits.get(c.deal_id, Decimal(0))
        before = deposit + _paid(paid, month_start(month), before=True)
        by_end = deposit + _paid(paid, month_end(month), before=False)
        cut = month_deduction(c.schedule, before, by_end, month, policy.collections)
        if cut > 0:
            found[c.id] = cut
    return found


def _paid(payments: Sequence[Payment], day: date, *, before: bool) -> Decimal:
    return sum(
        (p.amount for p in payments if (p.paid_on < day if before else p.paid_on <= day)),
        Decimal(0),
    )


async def month_payments(uow: UnitOfWork, rep_id: int, month: date) -> list[Payment]:
    return list(
        await uow.payments.paid_between(month_start(month), month_end(month), owner_ids={rep_id})
    )


async def sheet_view(
    uow: UnitOfWork,
    rep_id: int,
    month: date,
    sheet: CommissionSheet,
    record: SheetRecord | None,
    payments: Sequence[Payment],
) -> SheetView:
    ids = {line.contract_id for line in sheet.lines} | {p.contract_id for p in payments}
    files = await contract_files(uow, await uow.contracts.by_ids(ids))
    people = await people_by_id(uow)
    return SheetView(
        rep_id,
        month,
        sheet,
        record,
        {f.contract.id: f for f in files},
        {p.id: p for p in payments},
        {i: p.full_name for i, p in people.items()},
    )


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
        uow, actor_id=actor_id, rep_id=rep_id, month=month, policy=policy, today=now.date()
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
    await uow.outbox.add_many([card(p.id, view, record) for p in holding(people, role)], now)


def card(
    person_id: int, view: SheetView, record: SheetRecord, *, edit: bool = False
) -> Notification:
    """A checker's (or the payer's) one-tap card; once acted on, the same message is edited
    and keeps only its way to the sheet (`acts` False)."""
    return Notification(
        person_id,
        "commission_card",
        {**sheet_params(view), "acts": not edit},
        ref=sheet_ref(record.id),
        edit=edit,
        edit_only=edit,
    )


CARD_LINES = 8
LINE_PAYMENTS = 3


def sheet_params(
    view: SheetView,
    *,
    lines: int = CARD_LINES,
    page: Sequence[SheetLine] | None = None,
    payments: int = LINE_PAYMENTS,
) -> dict[str, object]:
    """What a card or the sheet's screen shows: the first `lines` lines (each with its first
    `payments` payments), then how many more; or, on the screen, one `page` of lines. Money
    as text, so the outbox can keep it."""
    record, total = view.record, view.sheet.total
    shown = view.sheet.lines[:lines] if page is None else page
    return {
        "sheet_id": record.id if record else None,
        "status": record.status.value if record else None,
        "rep": view.name(view.rep_id),
        "month": view.month.strftime("%Y-%m"),
        "lines": [_line(view, line, payments) for line in shown],
        "more": max(len(view.sheet.lines) - lines, 0) if page is None else 0,
        "commission": str(total.commission),
        "deduction": str(total.deduction) if total.deduction else None,
        "payable": str(total.payable),
        "unrecovered": str(total.unrecovered) if total.floored else None,
        "excluded": [_payment(view, i) for i in view.sheet.excluded[:CARD_LINES]],
        "excluded_more": max(len(view.sheet.excluded) - CARD_LINES, 0),
        "checks": [[c.role.value, view.name(c.by)] for c in record.checks] if record else [],
        "returned_by": view.name(record.returned_by) if record and record.returned_by else None,
        "reason": record.return_reason if record else None,
        "paid_reference": record.paid_reference if record else None,
        "page": None,  # the screen's page of lines, of `pages`
        "pages": None,
    }


def _line(view: SheetView, line: SheetLine, payments: int) -> dict[str, object]:
    file = view.contracts.get(line.contract_id)
    return {
        "number": file.contract.number if file else None,
        "customer": file.customer_name if file else "—",
        "payments": [_payment(view, i) for i in line.payment_ids[:payments]],
        "payments_more": max(len(line.payment_ids) - payments, 0),
        "collected": str(line.collected),
        "rate": str(line.rate * 100),
        "commission": str(line.commission),
        "deduction": str(line.deduction) if line.deduction else None,
    }


def _payment(view: SheetView, payment_id: int) -> dict[str, object]:
    p = view.payments.get(payment_id)
    if p is None:
        return {"id": payment_id, "paid_on": None}
    file = view.contracts.get(p.contract_id)
    return {
        "id": p.id,
        "paid_on": p.paid_on.isoformat(),
        "amount": str(p.amount),
        "reference": p.reference,
        "number": file.contract.number if file else None,
    }
