"""The commission sheet's way after filing (seed rule 9): each of the policy's chain checks it
in turn (the last one's check is the approval), any of them may return it to the desk with a
reason, and the accountant marks it paid once. Every move is compare-and-set on status and
step, so of two taps on the same card one wins and the other is told it moved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from bot.core.calendar import last_month, month_end, month_start
from bot.core.collections import COMMISSION_STATUSES, CommissionSheet
from bot.core.commission import (
    SheetMoved,
    SheetRecord,
    SheetStatus,
    check_sheet,
    pay_sheet,
    return_sheet,
    waits_for,
)
from bot.core.errors import NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import holding
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.commission import (
    PAYS,
    CommissionQueue,
    RepDue,
    SheetScreen,
    chain,
    month_payments,
    tell_checkers,
)
from bot.core.usecases.commission_view import (
    SheetView,
    card,
    people_by_id,
    sheet_params,
    sheet_ref,
    sheet_view,
)
from bot.core.usecases.guards import active_person

SEES = frozenset({Role.sales_desk, Role.accountant, Role.finance_vp, Role.general_manager})


async def _record(uow: UnitOfWork, sheet_id: int) -> SheetRecord:
    record = await uow.commission_sheets.get(sheet_id)
    if record is None:
        raise NotFound(what="commission_sheet")
    return record


async def _view_of(uow: UnitOfWork, record: SheetRecord) -> SheetView:
    sheet = CommissionSheet(record.lines, record.total, record.excluded)
    payments = await month_payments(uow, record.rep_id, record.month)
    return await sheet_view(uow, record.rep_id, record.month, sheet, record, payments)


def _sees(actor: Person, record: SheetRecord, policy: Policy) -> bool:
    return actor.id == record.rep_id or actor.role in SEES | set(chain(policy))


async def sheet_screen(
    uow: UnitOfWork, *, actor_id: int, sheet_id: int, policy: Policy
) -> SheetScreen:
    """A filed sheet as one person sees it, with what they may do to it."""
    actor = await active_person(uow, actor_id)
    record = await _record(uow, sheet_id)
    if not _sees(actor, record, policy):
        raise NotFound(what="commission_sheet")
    checks = waits_for(record, chain(policy)) is actor.role
    return SheetScreen(
        await _view_of(uow, record),
        may_check=checks,
        may_return=checks,
        may_pay=record.status is SheetStatus.approved and actor.role is PAYS,
    )


async def _saved(uow: UnitOfWork, moved: SheetRecord, before: SheetRecord) -> None:
    if not await uow.commission_sheets.save(moved, expected=before.status, step=before.step):
        current = await _record(uow, before.id)
        raise SheetMoved(current.status)


async def _edit_cards(
    uow: UnitOfWork, role: Role, view: SheetView, record: SheetRecord, now: datetime
) -> None:
    """The cards the others of the role got now show what happened."""
    people = await uow.people.all()
    edits = [card(p.id, view, record, edit=True) for p in holding(people, role)]
    await uow.outbox.add_many(edits, now)


def _told(person_ids: Sequence[int], template: str, view: SheetView) -> list[Notification]:
    params = sheet_params(view, lines=0)
    return [Notification(pid, template, params) for pid in dict.fromkeys(person_ids)]


async def _at_checker(
    uow: UnitOfWork, actor_id: int, sheet_id: int, policy: Policy
) -> tuple[Person, SheetRecord, Role]:
    """The actor, the sheet and its step's role: only the role the sheet waits for acts."""
    actor = await active_person(uow, actor_id)
    record = await _record(uow, sheet_id)
    role = waits_for(record, chain(policy))
    if role is None:
        raise SheetMoved(record.status)
    if actor.role is not role:
        raise NotAllowed(action="check_commission")
    return actor, record, role


async def check(
    uow: UnitOfWork, *, actor_id: int, sheet_id: int, policy: Policy, now: datetime
) -> SheetRecord:
    """The role the sheet waits for checks it; the next role gets it, or, after the last, the
    rep is told it is approved and the accountants get it to pay."""
    actor, record, role = await _at_checker(uow, actor_id, sheet_id, policy)
    moved = check_sheet(record, chain(policy), by=actor.id, now=now)
    await _saved(uow, moved, record)
    view = await _view_of(uow, moved)
    await _edit_cards(uow, role, view, moved, now)
    await tell_checkers(uow, view, moved, policy, now)
    if moved.status is SheetStatus.approved:
        await uow.outbox.add_many(_told([moved.rep_id], "commission_approved", view), now)
    await uow.audit.add(AuditEntry("commission_checked", actor.id, now, sheet_ref(record.id)))
    await uow.commit()
    return moved


async def return_to_desk(
    uow: UnitOfWork, *, actor_id: int, sheet_id: int, reason: str, policy: Policy, now: datetime
) -> SheetRecord:
    """The role the sheet waits for sends it back with a reason; the desk (the one who filed
    it, when nobody is at the desk) is told and files a fresh one."""
    actor, record, role = await _at_checker(uow, actor_id, sheet_id, policy)
    moved = return_sheet(record, by=actor.id, reason=reason, now=now)
    await _saved(uow, moved, record)
    view = await _view_of(uow, moved)
    await _edit_cards(uow, role, view, moved, now)
    people = await uow.people.all()
    desk = [p.id for p in holding(people, Role.sales_desk)] or [record.filed_by]
    await uow.outbox.add_many(_told(desk, "commission_returned", view), now)
    await uow.audit.add(
        AuditEntry("commission_returned", actor.id, now, sheet_ref(record.id), comment=reason)
    )
    await uow.commit()
    return moved


async def mark_paid(
    uow: UnitOfWork, *, actor_id: int, sheet_id: int, reference: str | None, now: datetime
) -> SheetRecord:
    """The accountant marks an approved sheet paid, once; the rep is told."""
    actor = await active_person(uow, actor_id)
    if actor.role is not PAYS:
        raise NotAllowed(action="pay_commission")
    record = await _record(uow, sheet_id)
    moved = pay_sheet(record, by=actor.id, reference=reference, now=now)
    await _saved(uow, moved, record)
    view = await _view_of(uow, moved)
    await _edit_cards(uow, PAYS, view, moved, now)
    await uow.outbox.add_many(_told([moved.rep_id], "commission_paid", view), now)
    await uow.audit.add(AuditEntry("commission_paid", actor.id, now, sheet_ref(record.id)))
    await uow.commit()
    return moved


async def commission_queue(
    uow: UnitOfWork, *, actor_id: int, policy: Policy, today: date
) -> CommissionQueue:
    """What waits for the actor: the desk's sheets to file for the month just ended (reps with
    money collected on their contracts and no live sheet), the sheets to check at the actor's
    role, and, for the accountant, the approved sheets to pay. Oldest first."""
    actor = await active_person(uow, actor_id)
    month = last_month(today)
    open_sheets = await uow.commission_sheets.in_status({SheetStatus.filed, SheetStatus.approved})
    mine = [s for s in open_sheets if _waits_on(s, actor, policy)]
    return CommissionQueue(
        month,
        to_file=await _to_file(uow, month) if actor.role is Role.sales_desk else [],
        to_check=[s for s in mine if s.status is SheetStatus.filed],
        to_pay=[s for s in mine if s.status is SheetStatus.approved],
        names={i: p.full_name for i, p in (await people_by_id(uow)).items()},
    )


def _waits_on(record: SheetRecord, actor: Person, policy: Policy) -> bool:
    if record.status is SheetStatus.approved:
        return actor.role is PAYS
    return waits_for(record, chain(policy)) is actor.role


async def _to_file(uow: UnitOfWork, month: date) -> list[RepDue]:
    payments = await uow.payments.paid_between(month_start(month), month_end(month))
    contracts = {c.id: c for c in await uow.contracts.by_ids({p.contract_id for p in payments})}
    filed = {s.rep_id for s in await uow.commission_sheets.live(month)}
    collected: dict[int, Decimal] = {}
    for p in payments:
        c = contracts.get(p.contract_id)
        if c is not None and c.status in COMMISSION_STATUSES and c.owner_id not in filed:
            collected[c.owner_id] = collected.get(c.owner_id, Decimal(0)) + p.amount
    people = await people_by_id(uow)
    return [
        RepDue(rep, people[rep].full_name, amount)
        for rep, amount in sorted(collected.items())
        if rep in people and people[rep].active
    ]
