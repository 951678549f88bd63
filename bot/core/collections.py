"""The money rules after the contract: the invoice gate (rule 11), interest on overdue money
(rule 5), the customer's credit standing, and the rep's commission (rule 9).

Every rule is pure: it takes the figures and `today`, and rounds money once with `to_cent`
(half up). What counts as overdue is `payments.schedule_states`: collected money pays the
deposit first, then the instalments oldest first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from itertools import pairwise

from bot.core.contract_terms import PaymentSchedule
from bot.core.contracts import Contract, ContractStatus
from bot.core.deals import CENT, to_cent
from bot.core.errors import DomainError
from bot.core.payments import LedgerFigures, Payment, overdue
from bot.core.policy import Collections

DAYS_IN_YEAR = 365
ONE_DAY = timedelta(days=1)
HUNDREDTH = Decimal("0.01")


# --- the invoice gate (rule 11) -------------------------------------------------------------


def collected_percent(amount: Decimal, collected: Decimal) -> Decimal:
    """Collected as a percent of the amount to 2 places, rounded DOWN, so a share just short
    of the threshold never shows as the threshold: 59,999.99 of 100,000.00 → 59.99, not
    60.00."""
    if amount <= 0:
        return Decimal(0).quantize(HUNDREDTH)
    return (collected * 100 / amount).quantize(HUNDREDTH, rounding=ROUND_DOWN)


class InvoiceTooEarly(DomainError):
    """The invoice waits until `threshold` of the amount is collected (seed, rule 11: 60 %).
    Carries what the sentence needs: the collected share in percent (`collected_percent`),
    the amount, what is collected and the money still needed."""

    code = "invoice_too_early"

    def __init__(
        self, amount: Decimal, collected: Decimal, percent: Decimal, needed: Decimal
    ) -> None:
        super().__init__(amount=amount, collected=collected, percent=percent, needed=needed)
        self.amount = amount
        self.collected = collected
        self.percent = percent
        self.needed = needed


def check_invoice(amount: Decimal, collected: Decimal, threshold: Decimal) -> None:
    """An invoice is issued only when collected ≥ threshold × amount (the policy's
    `invoice_threshold`, 0.60). Worked example: ¥45,000.00 collected of ¥100,000.00 is
    refused with "45.00 %" and ¥15,000.00 still needed; ¥60,000.00 is allowed.
    The money needed is rounded half up, and is at least one cent: a refusal never says
    nothing is missing."""
    target = threshold * amount
    if collected >= target:
        return
    needed = max(to_cent(target - collected), CENT)
    raise InvoiceTooEarly(amount, collected, collected_percent(amount, collected), needed)


# --- interest on overdue money (rule 5) -----------------------------------------------------


def days_late(due: date, today: date) -> int:
    """Days an instalment is late: from the day after its due date to `today`, both counted.
    Due 03-01, today 03-02 → 1; today 03-01 → 0 (it is due, not late)."""
    return max((today - due).days, 0)


Receipt = tuple[date, Decimal]  # money collected: the day it arrived and the amount


def accrued_interest(
    schedule: PaymentSchedule,
    receipts: Iterable[Receipt],
    until: date,
    annual_rate: Decimal,
    *,
    since: date | None = None,
) -> Decimal:
    """Simple daily interest on overdue money for each day from `since` (or the first day
    anything could be late) to `until`, both counted: that day's overdue amount × annual_rate
    ÷ 365, summed, rounded once at the end. A day's overdue amount is `payments.overdue`
    with the money that arrived BEFORE that day (deposit first, then oldest instalment
    first), so money paid late still costs the days it was late: paid the day after its due
    date is one day of interest, as `days_late` counts. The deposit is a receipt on the
    day it was received (`receipts_of`).

    Worked examples at 6 %: deposit 30,000, instalments 40,000 due 03-01 and 30,000 due
    04-01, 50,000 collected before March, until 04-15 → 20,000 for 45 days (147.945…) plus
    30,000 for 14 days (69.041…) → 216.99. An instalment of 20,000 due 12-31 paid on 01-10 →
    20,000 for the 10 days 01-01..01-10 → 32.88; the interest of January alone
    (`since` 01-01, `until` 01-31) is the same 32.88, of December 0.00."""
    dues = sorted(i.due for i in schedule.instalments)
    if not dues:
        return to_cent(Decimal(0))
    start = dues[0] + ONE_DAY if since is None else max(since, dues[0] + ONE_DAY)
    if start > until:
        return to_cent(Decimal(0))
    money = sorted(receipts)
    cuts = {start, until + ONE_DAY}
    cuts |= {day + ONE_DAY for day, _ in money if start < day + ONE_DAY <= until}
    cuts |= {due + ONE_DAY for due in dues if start < due + ONE_DAY <= until}
    ordered = sorted(cuts)
    raw = Decimal(0)
    for begin, end in pairwise(ordered):
        collected = sum((amount for day, amount in money if day < begin), Decimal(0))
        owed, _ = overdue(schedule, collected, begin)
        raw += owed * (end - begin).days
    return to_cent(raw * annual_rate / DAYS_IN_YEAR)


def overdue_interest(
    schedule: PaymentSchedule, collected: Decimal, today: date, annual_rate: Decimal
) -> Decimal:
    """`accrued_interest` to `today` when all of `collected` arrived before anything fell
    due: the interest on what is overdue today, for the days it has been late."""
    return accrued_interest(schedule, [(date.min, collected)], today, annual_rate)


def receipts_of(deposit: Receipt | None, payments: Iterable[Payment]) -> list[Receipt]:
    """A contract's money as `accrued_interest` reads it: the deposit on the day it was
    received (定金, usually before the contract), then each payment on its day."""
    return ([deposit] if deposit is not None else []) + [(p.paid_on, p.amount) for p in payments]


def interest_deduction(interest: Decimal, share: Decimal) -> Decimal:
    """What of the interest comes off the rep's commission (policy
    `collections.commission_deduction`, 1.0 = all of it): 216.99 × 0.5 → 108.50 (half up)."""
    return to_cent(interest * share)


# --- credit standing ------------------------------------------------------------------------


class CreditStanding(StrEnum):
    good = "good"
    watch = "watch"  # something is overdue more than `watch_overdue_days`
    hold = "hold"  # long overdue, or too much of what is owed is overdue


@dataclass(frozen=True, slots=True)
class OverdueFacts:
    """One contract's figures the credit standing reads (from its ledger row)."""

    outstanding: Decimal
    overdue: Decimal
    overdue_since: date | None  # due date of the oldest instalment not fully collected

    @classmethod
    def of(cls, figures: LedgerFigures) -> OverdueFacts:
        return cls(figures.outstanding, figures.overdue, figures.overdue_since)


def credit_standing(
    contracts: Iterable[OverdueFacts], today: date, policy: Collections
) -> CreditStanding:
    """A customer's standing over all its contracts:
    - hold when any money is overdue more than `hold_overdue_days` (90), or the overdue
      money is at least `hold_overdue_share` (30 %) of all that is outstanding;
    - watch when any money is overdue more than `watch_overdue_days` (30);
    - good otherwise (nothing overdue, or overdue only a few days and a small share).
    Worked example: outstanding 100,000 of which 20,000 overdue since 40 days → watch;
    30,000 overdue → hold (30 %); 20,000 overdue since 91 days → hold."""
    every = list(contracts)
    late = [
        (c.overdue, since)
        for c in every
        if c.overdue > 0 and (since := c.overdue_since) is not None
    ]
    if not late:
        return CreditStanding.good
    longest = max(days_late(since, today) for _, since in late)
    overdue_total = sum((amount for amount, _ in late), Decimal(0))
    outstanding = sum((c.outstanding for c in every), Decimal(0))
    if longest > policy.hold_overdue_days:
        return CreditStanding.hold
    if overdue_total >= policy.hold_overdue_share * outstanding:
        return CreditStanding.hold
    if longest > policy.watch_overdue_days:
        return CreditStanding.watch
    return CreditStanding.good


# --- commission (rule 9) --------------------------------------------------------------------

COMMISSION_STATUSES = frozenset({ContractStatus.in_force, ContractStatus.closed})


@dataclass(frozen=True, slots=True)
class Commission:
    commission: Decimal  # collected × rate, to the cent
    deduction: Decimal  # the interest deduction asked
    payable: Decimal  # commission − deduction, never below zero
    unrecovered: Decimal  # what of the deduction the commission could not cover

    @property
    def floored(self) -> bool:
        """The deduction was larger than the commission: the payout stops at zero."""
        return self.unrecovered > 0


def _net(commission: Decimal, deduction: Decimal) -> Commission:
    return Commission(
        commission,
        deduction,
        max(commission - deduction, Decimal(0)),
        max(deduction - commission, Decimal(0)),
    )


def commission_line(
    collected_in_month: Decimal, rate: Decimal, interest_deduction: Decimal
) -> Commission:
    """The rep's commission on money collected in the month, less the overdue interest
    deducted from it (rule 5), never below zero. Worked examples at 2 %: 45,000.00 collected,
    no deduction → 900.00; with 108.50 deducted → 791.50; 10,000.00 collected with 250.00
    deducted → 0.00 payable and 50.00 unrecovered (said, not carried as a debt)."""
    return _net(to_cent(collected_in_month * rate), interest_deduction)


@dataclass(frozen=True, slots=True)
class SheetLine:
    contract_id: int
    payment_ids: tuple[int, ...]  # the payments the line counts, to trace it
    collected: Decimal
    rate: Decimal
    commission: Decimal  # collected × rate, to the cent
    deduction: Decimal


@dataclass(frozen=True, slots=True)
class CommissionSheet:
    """The rep's commission sheet (业务提成) for a month: a line per contract, the totals
    (`total.payable` is what is paid out), and the payments that earn nothing, with why."""

    lines: tuple[SheetLine, ...]
    total: Commission
    excluded: tuple[int, ...]  # payment ids not counted: no contract in force or closed


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


def commission_sheet(
    rep_id: int,
    month: date,
    payments: Iterable[Payment],
    contracts: Mapping[int, Contract],
    rate: Decimal,
    *,
    rates: Mapping[int, Decimal] | None = None,
    deductions: Mapping[int, Decimal] | None = None,
) -> CommissionSheet:
    """The rep's commission for the month of `month`. No contract, no commission: a payment
    counts only when paid in that month, or before it, against a contract of this rep (its
    owner) that is in force or closed; any other is listed in `excluded`. An earlier payment
    reaches the sheet when no earlier sheet counted it (the caller leaves out those that
    one did): money recorded late, or paid before its contract came into force, is paid
    with the next sheet instead of never. `rate` is one rate for all;
    `rates` gives a contract's own (the caller maps the product category to it).
    `deductions` is the interest deduction per contract (`interest_deduction`); a contract
    with a deduction and no payment still gets a line, so the deduction is not lost.

    Each line's commission is rounded once (collected × rate, to the cent) and the total is
    their exact sum, so the sheet adds up line by line. The deductions are netted over the
    whole sheet, never below zero.

    Worked example at 2 %: payments 7 (30,000.00) and 9 (15,000.00) on contract 3 in force,
    payment 8 (5,000.00) on contract 4 still awaiting co-signature, 108.50 deducted on
    contract 3 → one line (3, payments 7 and 9, 45,000.00, 900.00), payable 791.50,
    excluded (8,)."""
    rates = rates or {}
    deductions = deductions or {}
    counted: dict[int, list[Payment]] = {}
    excluded: list[int] = []
    for payment in payments:
        contract = contracts.get(payment.contract_id)
        if (
            contract is None
            or contract.owner_id != rep_id
            or contract.status not in COMMISSION_STATUSES
            or _month(payment.paid_on) > _month(month)
        ):
            excluded.append(payment.id)
        else:
            counted.setdefault(payment.contract_id, []).append(payment)
    lines = tuple(
        _sheet_line(
            contract_id,
            counted.get(contract_id, []),
            rates.get(contract_id, rate),
            deductions.get(contract_id, Decimal(0)),
        )
        for contract_id in sorted(counted.keys() | deductions.keys())
    )
    total = _net(
        sum((line.commission for line in lines), Decimal(0)),
        sum((line.deduction for line in lines), Decimal(0)),
    )
    return CommissionSheet(lines, total, tuple(excluded))


def _sheet_line(
    contract_id: int, payments: Sequence[Payment], rate: Decimal, deduction: Decimal
) -> SheetLine:
    collected = sum((p.amount for p in payments), Decimal(0))
    return SheetLine(
        contract_id,
        tuple(p.id for p in payments),
        collected,
        rate,
        to_cent(collected * rate),
        deduction,
    )
