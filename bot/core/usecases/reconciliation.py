"""The monthly reconciliation of the contract ledger (seed, rule 12; issue 13, item 6): on the
last working day the sales desk and the accountant are asked to reconcile the month; each
confirms the ledger's totals, or types their own figure where theirs differ; the differences
go to both and to the finance VP; once both confirmed, the month is reconciled and the sales
department's commission is accrued on cumulative completion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from bot.core.calendar import (
    MONTHLY_CATCH_UP_DAYS,
    last_month,
    last_working_day,
    local,
    month_end,
    month_start,
)
from bot.core.collections import COMMISSION_STATUSES
from bot.core.contracts import Contract
from bot.core.deals import to_cent
from bot.core.errors import NotAllowed
from bot.core.models import AuditEntry, Notification, Person
from bot.core.payments import Payment, overdue
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.reconciliation import (
    LINES,
    RECONCILERS,
    AlreadyConfirmed,
    Confirmation,
    LedgerTotals,
    MonthNotDue,
    Reconciliation,
    department_accrual,
    differences,
)
from bot.core.roles import Role
from bot.core.usecases.guards import active_person

BATCH = 200
PROMPT = "reconciliation"


def _sum(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


async def _in_force(uow: UnitOfWork) -> list[Contract]:
    found: list[Contract] = []
    while True:
        batch = await uow.contracts.ledger(
            statuses=COMMISSION_STATUSES, limit=BATCH, below_id=found[-1].id if found else None
        )
        found += batch
        if len(batch) < BATCH:
            return found


async def _owed_at(uow: UnitOfWork, end: date, policy: Policy) -> tuple[Decimal, Decimal]:
    """Outstanding and overdue at the month's end, from what was collected by then, on the
    contracts co-signed (so in the ledger) by then, in the company's time zone."""
    contracts = [
        c
        for c in await _in_force(uow)
        if c.cosigned_at is not None and local(c.cosigned_at, policy).date() <= end
    ]
    payments = await uow.payments.for_contracts([c.id for c in contracts])
    deposits = await uow.deals.deposits({c.deal_id for c in contracts})
    outstanding = overdue_total = Decimal(0)
    for c in contracts:
        collected = deposits.get(c.deal_id, Decimal(0)) + _paid_by(payments.get(c.id, []), end)
        outstanding += c.amount - collected
        overdue_total += overdue(c.schedule, collected, end)[0]
    return outstanding, overdue_total


def _paid_by(payments: Sequence[Payment], end: date) -> Decimal:
    return _sum([p.amount for p in payments if p.paid_on <= end])


async def month_totals(uow: UnitOfWork, month: date, policy: Policy) -> LedgerTotals:
    """The ledger's totals for the month, each from one read (or a batched one)."""
    first, last = month_start(month), month_end(month)
    start = datetime.combine(first, time(), tzinfo=policy.tz)
    end = start + timedelta(days=last.day)
    signed = await uow.contracts.cosigned_between(start, end)
    collected = await uow.payments.paid_between(first, last)
    outstanding, late = await _owed_at(uow, last, policy)
    return LedgerTotals(
        contracts_signed=Decimal(len(signed)),
        signed_amount=to_cent(_sum([c.amount for c in signed])),
        delivered=to_cent(await _delivered(uow, start, end)),
        deposits=to_cent(_sum(list(await uow.deals.deposits_between(first, last)))),
        collected=to_cent(_sum([p.amount for p in collected])),
        outstanding=to_cent(outstanding),
        overdue=to_cent(late),
    )


async def _delivered(uow: UnitOfWork, start: datetime, end: datetime) -> Decimal:
    """What the notes booked in the month delivered, at their contracts' prices (two reads)."""
    notes = await uow.deliveries.booked_between(start, end)
    contracts = {c.id: c for c in await uow.contracts.by_ids({n.contract_id for n in notes})}
    return _sum(
        [
            line.amount_of(quantity)
            for note in notes
            if (contract := contracts.get(note.contract_id)) is not None
            for line, quantity in zip(contract.lines, note.lines, strict=True)
        ]
    )


@dataclass(frozen=True, slots=True)
class ReconciliationScreen:
    month: date
    totals: LedgerTotals
    record: Reconciliation | None
    names: dict[int, str]
    may_confirm: bool

    def confirmed(self, role: Role) -> Confirmation | None:
        return self.record.confirmations.get(role) if self.record else None


def _check_reconciler(actor: Person) -> None:
    if actor.role not in RECONCILERS:
        raise NotAllowed(action="reconcile")


async def reconciliation_screen(
    uow: UnitOfWork, *, actor_id: int, month: date, policy: Policy
) -> ReconciliationScreen:
    actor = await active_person(uow, actor_id)
    if actor.role not in (*RECONCILERS, Role.finance_vp, Role.general_manager):
        raise NotAllowed(action="reconcile")
    record = await uow.reconciliations.get(month_start(month))
    people = {p.id: p.full_name for p in await uow.people.all()}
    mine = record.confirmations.get(actor.role) if record else None
    return ReconciliationScreen(
        month_start(month),
        await month_totals(uow, month, policy),
        record,
        people,
        may_confirm=actor.role in RECONCILERS and mine is None,
    )


def reconciliation_params(screen: ReconciliationScreen) -> dict[str, object]:
    """The totals, each side's differences, and the accrual once reconciled; money as text."""
    sides: list[dict[str, object]] = []
    count = 0
    for role in RECONCILERS:
        confirmation = screen.confirmed(role)
        if confirmation is None:
            sides.append({"role": role.value, "name": None, "differences": []})
            continue
        found = differences(screen.totals, confirmation.figures)
        count += len(found)
        sides.append(
            {
                "role": role.value,
                "name": screen.names.get(confirmation.person_id, "—"),
                "differences": [[d.line, str(d.ledger), str(d.theirs)] for d in found],
            }
        )
    record = screen.record
    return {
        "month": screen.month.strftime("%Y-%m"),
        "totals": [[line, str(value)] for line, value in screen.totals.lines().items()],
        "sides": sides,
        "differences": count,
        "reconciled": bool(record and record.reconciled),
        "accrual": str(record.accrual) if record and record.accrual is not None else None,
        "accrued_total": str(record.accrued_total)
        if record and record.accrued_total is not None
        else None,
    }


async def confirm(
    uow: UnitOfWork,
    *,
    actor_id: int,
    month: date,
    figures: Mapping[str, Decimal],
    policy: Policy,
    now: datetime,
) -> Reconciliation:
    """The desk or the accountant confirms the month: the ledger's totals, except the lines
    where they typed their own figure. Once per role; the other side and the finance VP are
    told the differences; the second confirmation reconciles the month and accrues the
    department's commission. What each side confirmed is kept whole (their figures, the
    ledger's elsewhere), so a payment recorded afterwards shows as a difference instead of
    being taken as confirmed."""
    actor = await active_person(uow, actor_id)
    _check_reconciler(actor)
    first = month_start(month)
    earlier = await uow.reconciliations.get(first)
    if earlier is not None and actor.role in earlier.confirmations:
        raise AlreadyConfirmed()
    if first != await reconciliation_due(uow, actor.id, local(now, policy).date(), policy):
        raise MonthNotDue()
    totals = (await month_totals(uow, first, policy)).lines()
    kept = {line: figures.get(line, totals[line]) for line in LINES}
    if not await uow.reconciliations.confirm(first, Confirmation(actor.role, actor.id, now, kept)):
        raise AlreadyConfirmed()
    record = await uow.reconciliations.get(first)
    if record is not None and record.reconciled:
        await _accrue(uow, first, policy)
    screen = await reconciliation_screen(uow, actor_id=actor.id, month=first, policy=policy)
    await _tell(uow, screen, now)
    await uow.audit.add(AuditEntry("ledger_confirmed", actor.id, now, f"ledger:{first:%Y-%m}"))
    await uow.commit()
    return screen.record or Reconciliation(first, {})


async def _accrue(uow: UnitOfWork, month: date, policy: Policy) -> None:
    """Rule 12: the department's commission on cumulative completion (`department_accrual`):
    the money collected from January to the month's end against the collection targets set
    for those months."""
    end = month_end(month)
    ytd = await uow.payments.paid_between(month.replace(month=1), end)
    deposits = await uow.deals.deposits_between(month.replace(month=1), end)
    months = [month.replace(month=m) for m in range(1, month.month + 1)]
    reps = [p.id for p in await uow.people.all() if p.role is Role.rep]
    targets = await uow.targets.of_reps(reps, months)
    # money collected as the collection targets count it: deposits and payments
    collected = _sum([p.amount for p in ytd]) + _sum(list(deposits))
    before = await uow.reconciliations.accrued_before(month)
    accrual = department_accrual(
        collected,
        _sum([t.collection for t in targets]),
        policy.collections.department_rate,
        before,
    )
    await uow.reconciliations.accrue(month, accrual, before + accrual)


async def _tell(uow: UnitOfWork, screen: ReconciliationScreen, now: datetime) -> None:
    params = reconciliation_params(screen)
    roles = (*RECONCILERS, Role.finance_vp)
    people = [p for p in await uow.people.all() if p.active and p.role in roles]
    template = "ledger_reconciled" if params["reconciled"] else "ledger_confirmed"
    await uow.outbox.add_many([Notification(p.id, template, params) for p in people], now)


async def reconciliation_due(
    uow: UnitOfWork, actor_id: int, today: date, policy: Policy
) -> date | None:
    """The month the actor has still to confirm: the current one from its last working day
    on (when the prompt comes), else the month just ended; none before the ledger holds a
    contract (a company starting out has nothing to reconcile)."""
    actor = await active_person(uow, actor_id)
    if actor.role not in RECONCILERS:
        return None
    ending = today >= last_working_day(today, policy)
    month = month_start(today) if ending else last_month(today)
    if not await _ledger_by(uow, month, policy):
        return None
    record = await uow.reconciliations.get(month)
    if record is not None and actor.role in record.confirmations:
        return None
    return month


async def _ledger_by(uow: UnitOfWork, month: date, policy: Policy) -> bool:
    """Whether the ledger held a contract by the month's end: before, nothing to reconcile."""
    end = datetime.combine(month_end(month) + timedelta(days=1), time(), tzinfo=policy.tz)
    return await uow.contracts.any_cosigned_before(end)


def prompt_month(today: date, policy: Policy) -> date | None:
    """The month the prompt is for: the current one from its last working day on; in the
    next month's first MONTHLY_CATCH_UP_DAYS days the one just ended (a worker down on the last
    working day catches up); else none."""
    if today >= last_working_day(today, policy):
        return month_start(today)
    if today.day <= MONTHLY_CATCH_UP_DAYS:
        return last_month(today)
    return None


async def prompt_reconciliation(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """The scheduled prompt: on the last working day of the month, once per person and month
    (claimed), the desk and the accountants are asked to reconcile it; a month already
    reconciled is not prompted."""
    month = prompt_month(local(now, policy).date(), policy)
    if month is None or not await _ledger_by(uow, month, policy):
        return 0
    record = await uow.reconciliations.get(month)
    if record is not None and record.reconciled:
        return 0
    people = [p for p in await uow.people.all() if p.active and p.role in RECONCILERS]
    claimed = await uow.digests.claim_many([p.id for p in people], PROMPT, month)
    params = {"month": month.strftime("%Y-%m")}
    await uow.outbox.add_many(
        [Notification(pid, "ledger_reconcile_prompt", params) for pid in sorted(claimed)], now
    )
    await uow.commit()
    return len(claimed)
