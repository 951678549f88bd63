"""The manager's monthly collection analysis (回款分析, seed rule 5: sales and finance analyse
collections monthly): what was due, what came in, the collection rate (回款率), and how old the
overdue money is, by rep and by customer.

Pure: it takes each contract's schedule and dated receipts, and the days it reasons about.
Money is applied as `payments.schedule_states` applies it: the deposit first, then the
instalments oldest first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.core.calendar import month_end, month_start, next_month
from bot.core.collections import collected_percent, days_late
from bot.core.contract_terms import PaymentSchedule
from bot.core.payments import Mark, ScheduleState, schedule_states

ZERO = Decimal(0)
# Overdue ageing buckets by days late (the upper bound of each, None: open-ended).
AGEING_LIMITS: tuple[int | None, ...] = (30, 60, 90, None)
TOP_REPS = 15
TOP_CUSTOMERS = 10


@dataclass(frozen=True, slots=True)
class ContractMoney:
    """One contract as the analysis reads it: its schedule and every sum received for it (the
    deposit and the payments), each with the day it was paid."""

    contract_id: int
    owner_id: int
    customer_id: int
    schedule: PaymentSchedule
    receipts: tuple[tuple[date, Decimal], ...]


@dataclass(frozen=True, slots=True)
class MonthWindow:
    """The month analysed: its first and last day, and the day the ledger is read on (overdue
    means due before it). A closed month is read on the first day of the next; the month in
    progress on today."""

    first: date
    last: date
    as_of: date


def month_window(month: date, today: date) -> MonthWindow:
    return MonthWindow(month_start(month), month_end(month), min(next_month(month), today))


@dataclass(frozen=True, slots=True)
class CollectionFigures:
    due: Decimal  # owed in the month: overdue at its start plus what fell due in it
    applied: Decimal  # what of the month's money paid what was due
    received: Decimal  # all money received in the month (advances included)
    ageing: tuple[Decimal, ...]  # overdue as of the reading day, per AGEING_LIMITS bucket

    @property
    def overdue(self) -> Decimal:
        return sum(self.ageing, ZERO)

    @property
    def rate(self) -> Decimal | None:
        """Applied ÷ due in percent, 2 places rounded down (`collected_percent`); None when
        nothing was due, which the views say in words rather than as 0 % or 100 %."""
        return collected_percent(self.due, self.applied) if self.due > 0 else None

    @property
    def empty(self) -> bool:
        return not (self.due or self.received or self.overdue)

    def __add__(self, other: CollectionFigures) -> CollectionFigures:
        return CollectionFigures(
            self.due + other.due,
            self.applied + other.applied,
            self.received + other.received,
            tuple(a + b for a, b in zip(self.ageing, other.ageing, strict=True)),
        )


NOTHING = CollectionFigures(ZERO, ZERO, ZERO, tuple(ZERO for _ in AGEING_LIMITS))


def bucket_of(days: int) -> int:
    """The ageing bucket of money `days` late: 1–30 → 0, 31–60 → 1, 61–90 → 2, over 90 → 3."""
    for index, limit in enumerate(AGEING_LIMITS):
        if limit is None or days <= limit:
            return index
    return len(AGEING_LIMITS) - 1


def _unpaid(states: Iterable[ScheduleState], last: date) -> Decimal:
    return sum((s.amount - s.covered for s in states if s.due is not None and s.due <= last), ZERO)


def _ageing(states: Iterable[ScheduleState], as_of: date) -> tuple[Decimal, ...]:
    buckets = [ZERO for _ in AGEING_LIMITS]
    for s in states:
        if s.mark is Mark.overdue and s.due is not None:
            buckets[bucket_of(days_late(s.due, as_of))] += s.amount - s.covered
    return tuple(buckets)


def contract_figures(money: ContractMoney, window: MonthWindow) -> CollectionFigures:
    """One contract's month.

    - due: the instalments falling due by the month's last day that the money received before
      the month had not covered (so overdue money carried in counts, paid-ahead money not);
    - applied: how much of that due the month's money paid;
    - received: every sum paid in the month, the deposit included;
    - ageing: what is overdue on the reading day, by the days late of each instalment.

    Worked example: deposit 30,000 (received in January), instalments 40,000 due 03-01 and
    30,000 due 04-01 and 30,000 due 05-20; paid 10,000 on 03-20 and 35,000 on 04-10. April:
    before it 40,000 came in, so 30,000 of the first instalment and all the second are due,
    60,000; the 35,000 of April pays them (applied 35,000, rate 58.33 %); read on 05-01 the
    second instalment is 25,000 short and 30 days late: 25,000 in 1–30 days."""
    before = sum((a for day, a in money.receipts if day < window.first), ZERO)
    received = sum((a for day, a in money.receipts if window.first <= day <= window.last), ZERO)
    at_start = schedule_states(money.schedule, before, window.first)
    at_end = schedule_states(money.schedule, before + received, window.as_of)
    due = _unpaid(at_start, window.last)
    return CollectionFigures(
        due, due - _unpaid(at_end, window.last), received, _ageing(at_end, window.as_of)
    )


@dataclass(frozen=True, slots=True)
class Ranked:
    """The largest groups by name or id, and the rest summed (`rest_count` of them)."""

    top: tuple[tuple[int, CollectionFigures], ...]
    rest: CollectionFigures
    rest_count: int


@dataclass(frozen=True, slots=True)
class CollectionAnalysis:
    window: MonthWindow
    total: CollectionFigures
    reps: Ranked  # by owner, most due first
    customers: Ranked  # most overdue first


Figured = tuple[ContractMoney, CollectionFigures]


def _grouped(
    figures: Sequence[Figured],
    key: Callable[[ContractMoney], int],
) -> dict[int, CollectionFigures]:
    groups: dict[int, CollectionFigures] = {}
    for money, one in figures:
        groups[key(money)] = groups.get(key(money), NOTHING) + one
    return {k: v for k, v in groups.items() if not v.empty}


def ranked(
    groups: dict[int, CollectionFigures],
    order: Callable[[CollectionFigures], tuple[Decimal, ...]],
    size: int,
) -> Ranked:
    """The `size` first groups by `order` (largest first, then by id), the rest summed, so a
    message stays short however many reps or customers there are."""
    ordered = sorted(groups.items(), key=lambda kv: (*(-v for v in order(kv[1])), kv[0]))
    rest = sum((f for _k, f in ordered[size:]), NOTHING)
    return Ranked(tuple(ordered[:size]), rest, len(ordered[size:]))


def figured(contracts: Iterable[ContractMoney], window: MonthWindow) -> list[Figured]:
    """Each contract with its month's figures, computed once for every reader's analysis."""
    return [(m, contract_figures(m, window)) for m in contracts]


def analyse(
    contracts: Iterable[ContractMoney],
    window: MonthWindow,
    *,
    top_reps: int = TOP_REPS,
    top_customers: int = TOP_CUSTOMERS,
) -> CollectionAnalysis:
    """The month's analysis over these contracts: the total, the reps with the most due, and
    the customers with the most overdue (a customer's contracts summed)."""
    return summed(figured(contracts, window), window, top_reps, top_customers)


def summed(
    figures: Sequence[Figured],
    window: MonthWindow,
    top_reps: int = TOP_REPS,
    top_customers: int = TOP_CUSTOMERS,
) -> CollectionAnalysis:
    """`analyse` over contracts already figured."""
    return CollectionAnalysis(
        window,
        sum((f for _m, f in figures), NOTHING),
        ranked(_grouped(figures, lambda m: m.owner_id), lambda f: (f.due, f.overdue), top_reps),
        ranked(
            _grouped(figures, lambda m: m.customer_id),
            lambda f: (f.overdue, f.due),
            top_customers,
        ),
    )


def figures_by_owner(
    contracts: Iterable[ContractMoney], window: MonthWindow
) -> dict[int, CollectionFigures]:
    """Each owner's month over their contracts (the rate a rep's review is graded on)."""
    return _grouped(figured(contracts, window), lambda m: m.owner_id)


def received_by_owner(
    contracts: Iterable[ContractMoney], window: MonthWindow
) -> dict[int, Decimal]:
    """Money received in the month per owner of the contract (deposits and payments): what a
    rep's monthly collection target is measured against."""
    found: dict[int, Decimal] = {}
    for money in contracts:
        for day, amount in money.receipts:
            if window.first <= day <= window.last:
                found[money.owner_id] = found.get(money.owner_id, ZERO) + amount
    return found
