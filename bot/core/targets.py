"""Monthly targets: the rep's deadline to confirm one, its reminder, and progress so far.

Seed (销售部工作流程): the manager assigns monthly sales tasks in writing and the rep confirms
them; reps report sales amount, quantity and collections monthly. Sales so far are the lines
of the contracts finance co-signed in the month (their net amounts and quantities), as /report
counts contract amount and quantity; collection is the money received in the month on the
rep's contracts (deposits and payments).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.core.calendar import at_local, in_quiet_hours, local, next_nudge_time, next_working_day
from bot.core.deals import net_amount_of
from bot.core.models import Person
from bot.core.plans import MonthlyTarget
from bot.core.policy import Policy
from bot.core.roles import Role


def is_targeted(person: Person) -> bool:
    """Seed: monthly sales tasks go to the reps (销售员); managers answer for the team's."""
    return person.active and person.role is Role.rep


def confirm_by(set_at: datetime, policy: Policy) -> datetime:
    """The rep has `targets.confirm_within_days` whole working days after the day a target is
    set, to the end of work. Worked example (default 2, Mon–Sat, work ends 18:00): set
    Wednesday 10:00 → due Friday 18:00; set Friday → due Monday 18:00 (Sunday is off); set on
    Sunday → due Tuesday 18:00."""
    day = local(set_at, policy).date()
    for _ in range(policy.targets.confirm_within_days):
        day = next_working_day(day, policy)
    return at_local(day, policy.work_end, policy)


def reminder_at(due: datetime, policy: Policy) -> datetime:
    """One reminder on the morning of the deadline day, when work starts (or when quiet hours
    end, if later): always after the day the target was set, since the deadline day is."""
    return next_nudge_time(at_local(local(due, policy).date(), policy.work_start, policy), policy)


class TargetNudgeKind(StrEnum):
    remind = "remind"  # the rep, before the deadline
    overdue = "overdue"  # the manager who set it, at the deadline
    postpone = "postpone"  # quiet hours or a day off: nothing now


@dataclass(frozen=True, slots=True)
class TargetNudge:
    kind: TargetNudgeKind
    next_at: datetime | None


def plan_target_nudge(target: MonthlyTarget, now: datetime, policy: Policy) -> TargetNudge:
    """What an unconfirmed target due for a nudge needs now. Before the deadline the rep is
    reminded once, and the next nudge is the deadline; at or after it the manager who set it
    is told once, and nothing follows. Nobody is pinged in quiet hours or on a day off."""
    if in_quiet_hours(now, policy):
        return TargetNudge(TargetNudgeKind.postpone, next_nudge_time(now, policy))
    due = target.confirm_by or now
    if now >= due:
        return TargetNudge(TargetNudgeKind.overdue, None)
    return TargetNudge(TargetNudgeKind.remind, due)


@dataclass(frozen=True, slots=True)
class TargetNudgeClaim:
    """Record a nudge only if the target's nudge time is still the one the sweep read."""

    target_id: int
    seen_nudge_at: datetime
    next_nudge_at: datetime | None


@dataclass(frozen=True, slots=True)
class MonthSpan:
    """A calendar month in the company's zone: its days, and its moments in UTC."""

    first_day: date
    last_day: date
    starts_at: datetime
    ends_at: datetime  # exclusive: the first moment of the next month


def month_span(month: date, policy: Policy) -> MonthSpan:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    midnight = datetime.min.time()
    return MonthSpan(
        first,
        following - timedelta(days=1),
        at_local(first, midnight, policy),
        at_local(following, midnight, policy),
    )


@dataclass(frozen=True, slots=True)
class Sale:
    """A line of a contract finance co-signed in the month: a sale (seed: the contract is
    where a sale is signed; the ledger counts it from the co-signature)."""

    rep_id: int
    quantity: Decimal
    amount: Decimal
    discount: Decimal | None


@dataclass(frozen=True, slots=True)
class Actuals:
    """What the reps did in a month so far: visits logged per rep and the month's sales."""

    visits: Mapping[int, int]
    sales: Sequence[Sale]


@dataclass(frozen=True, slots=True)
class TargetProgress:
    rep: Person
    this_month: MonthlyTarget | None
    next_month: MonthlyTarget | None
    visits: int
    sales: Decimal
    quantity: Decimal
    collected: Decimal = Decimal(0)

    @property
    def sales_completion(self) -> int | None:
        """Per cent of this month's sales target reached, rounded down; None without one."""
        target = self.this_month
        if target is None or target.sales <= 0:
            return None
        return int(self.sales * 100 // target.sales)

    @property
    def collection_completion(self) -> int | None:
        """Per cent of this month's collection target received, rounded down (49,999.99 of
        100,000.00 → 49); None without a target amount."""
        target = self.this_month
        if target is None or target.collection <= 0:
            return None
        return int(self.collected * 100 // target.collection)


def progress_of(
    reps: Sequence[Person],
    targets: Sequence[MonthlyTarget],
    actuals: Actuals,
    months: tuple[date, date],
    collected: Mapping[int, Decimal] | None = None,
) -> list[TargetProgress]:
    """Each rep's targets for this month and the next beside this month's actuals (and the
    money collected in it, per rep), by name."""
    collected = collected or {}
    by_key = {(t.rep_id, t.month): t for t in targets}
    sales: dict[int, Decimal] = {}
    units: dict[int, Decimal] = {}
    for sale in actuals.sales:
        sales[sale.rep_id] = sales.get(sale.rep_id, Decimal(0)) + net_amount_of(
            sale.amount, sale.discount
        )
        units[sale.rep_id] = units.get(sale.rep_id, Decimal(0)) + sale.quantity
    this, following = months
    return [
        TargetProgress(
            rep,
            by_key.get((rep.id, this)),
            by_key.get((rep.id, following)),
            actuals.visits.get(rep.id, 0),
            sales.get(rep.id, Decimal(0)),
            units.get(rep.id, Decimal(0)),
            collected.get(rep.id, Decimal(0)),
        )
        for rep in sorted(reps, key=lambda r: r.full_name)
    ]


def progress_params(progress: TargetProgress) -> dict[str, Any]:
    """One rep's progress as the views show it (decimals as strings, moments as ISO text)."""
    return {
        "rep": progress.rep.full_name,
        "this_month": _target_view(progress.this_month),
        "next_month": _target_view(progress.next_month),
        "visits": progress.visits,
        "sales": str(progress.sales),
        "quantity": str(progress.quantity),
        "completion": progress.sales_completion,
        "collected": str(progress.collected),
        "collection_completion": progress.collection_completion,
    }


def _target_view(target: MonthlyTarget | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "sales": str(target.sales),
        "quantity": str(target.quantity),
        "collection": str(target.collection),
        "confirmed": target.confirmed_at is not None,
        "due": target.confirm_by.isoformat() if target.confirm_by else None,
    }
