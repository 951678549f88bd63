"""A customer's money at a glance (issue 13, points 1 and 3): the totals of its contracts and
its credit standing, for the customer card, the contract card and the approval cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.core.collections import (
    CreditStanding,
    OverdueFacts,
    Receipt,
    accrued_interest,
    collected_percent,
    credit_standing,
    days_late,
    interest_deduction,
)
from bot.core.contracts import Contract
from bot.core.payments import LedgerFigures
from bot.core.policy import Collections


@dataclass(frozen=True, slots=True)
class CreditInfo:
    """One customer's contracts in force and closed, summed; the standing over them all."""

    standing: CreditStanding
    contracts: int
    amount: Decimal
    collected: Decimal
    outstanding: Decimal
    overdue: Decimal
    overdue_since: date | None  # the oldest unpaid due date over its contracts
    days_late: int  # of that oldest one, at `today`

    @property
    def percent(self) -> Decimal:
        return collected_percent(self.amount, self.collected)


GOOD = CreditInfo(CreditStanding.good, 0, *(Decimal(0),) * 4, None, 0)


def credit_info(figures: Iterable[LedgerFigures], today: date, rules: Collections) -> CreditInfo:
    """Worked example: contracts of 100,000 (60,000 collected, 20,000 overdue since 40 days)
    and 50,000 (all collected) → 150,000, 110,000 collected (73.33 %), 40,000 outstanding,
    20,000 overdue 40 days; 20,000 is half of 40,000 outstanding → hold."""
    every = list(figures)
    if not every:
        return GOOD
    since = min((f.overdue_since for f in every if f.overdue > 0 and f.overdue_since), default=None)
    return CreditInfo(
        standing=credit_standing((OverdueFacts.of(f) for f in every), today, rules),
        contracts=len(every),
        amount=sum((f.amount for f in every), Decimal(0)),
        collected=sum((f.collected for f in every), Decimal(0)),
        outstanding=sum((f.outstanding for f in every), Decimal(0)),
        overdue=sum((f.overdue for f in every), Decimal(0)),
        overdue_since=since,
        days_late=days_late(since, today) if since else 0,
    )


@dataclass(frozen=True, slots=True)
class ContractMoney:
    """What overdue money costs on one contract (rule 5), and its customer's credit."""

    percent: Decimal  # collected, as `collected_percent`
    days_late: int  # of the oldest unpaid instalment
    rate: Decimal  # the policy's yearly interest rate
    interest: Decimal  # to date, `accrued_interest` (money paid late included)
    deduction: Decimal  # what of it comes off the rep's commission
    credit: CreditInfo


def contract_money(
    contract: Contract,
    figures: LedgerFigures,
    receipts: Sequence[Receipt],
    credit: CreditInfo,
    today: date,
    rules: Collections,
) -> ContractMoney:
    """Worked example at 6 % with all of it deducted: 4,000 overdue since 12-01, today
    12-31 (30 days) → 4,000 × 0.06 × 30 ÷ 365 = 19.73 interest, 19.73 off the commission.
    Money paid late keeps the interest of the days it was late (`accrued_interest`)."""
    interest = accrued_interest(contract.schedule, receipts, today, rules.interest_rate)
    since = figures.overdue_since if figures.overdue > 0 else None
    return ContractMoney(
        percent=collected_percent(figures.amount, figures.collected),
        days_late=days_late(since, today) if since else 0,
        rate=rules.interest_rate,
        interest=interest,
        deduction=interest_deduction(interest, rules.commission_deduction),
        credit=credit,
    )
