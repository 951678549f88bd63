"""The monthly reconciliation of the contract ledger (seed, rule 12): the sales desk and the
accountant each confirm the ledger's totals for the month, or give their own figure where
theirs differs; the differences are listed; and the sales department's commission is accrued
on cumulative completion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal

from bot.core.deals import parse_decimal, to_cent
from bot.core.errors import DomainError
from bot.core.roles import Role

RECONCILERS = (Role.sales_desk, Role.accountant)


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """The ledger's totals for a month (money to the cent, the count of contracts whole)."""

    contracts_signed: Decimal  # how many contracts came into force in the month
    signed_amount: Decimal
    delivered: Decimal  # the delivery notes finance booked in the month, at the contract prices
    deposits: Decimal  # received in the month
    collected: Decimal  # payments paid in the month
    outstanding: Decimal  # at the month's end, on contracts in force or closed
    overdue: Decimal  # at the month's end

    def lines(self) -> dict[str, Decimal]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


LINES = tuple(f.name for f in fields(LedgerTotals))


@dataclass(frozen=True, slots=True)
class Difference:
    line: str
    ledger: Decimal
    theirs: Decimal

    @property
    def gap(self) -> Decimal:
        return self.theirs - self.ledger


def differences(ledger: LedgerTotals, theirs: Mapping[str, Decimal]) -> list[Difference]:
    """The lines where someone's own figure is not the ledger's, in the ledger's order; a line
    they confirmed as it stands has no figure of theirs and no difference."""
    own = ledger.lines()
    return [
        Difference(line, own[line], theirs[line])
        for line in LINES
        if line in theirs and theirs[line] != own[line]
    ]


def completion(collected: Decimal, target: Decimal) -> Decimal:
    """The share of the collection target reached, at most 1; without a target, 1 (the
    department is not held back by targets nobody set)."""
    if target <= 0:
        return Decimal(1)
    return min(collected / target, Decimal(1))


def department_accrual(
    collected_ytd: Decimal, target_ytd: Decimal, rate: Decimal, accrued_before: Decimal
) -> Decimal:
    """What the month adds to the sales department's commission (policy
    `collections.department_rate`): rate × money collected in the year so far × the year's
    completion of the collection targets, less what the earlier months accrued. Negative when
    completion fell (a reversal), so the year's accrual always equals the formula.

    Worked example at 0.5 %: by the end of March 900,000.00 collected against targets of
    1,200,000.00 (75 %) → 0.005 × 900,000 × 0.75 = 3,375.00; with 1,800.00 accrued in January
    and February, March accrues 1,575.00."""
    cumulative = to_cent(rate * collected_ytd * completion(collected_ytd, target_ytd))
    return cumulative - accrued_before


def parse_figure(line: str, text: str) -> Decimal:
    """Someone's own figure for a line, as typed: a whole count of contracts, else money to
    the cent ("12,000.50", "36万"); zero allowed."""
    if line not in LINES:
        raise DomainError(line=line)
    return parse_decimal(text, places=0 if line == "contracts_signed" else 2).quantize(
        Decimal(1) if line == "contracts_signed" else Decimal("0.01")
    )


@dataclass(frozen=True, slots=True)
class Confirmation:
    """One side's confirmation: its own figures for the lines that differ (none: all match)."""

    role: Role
    person_id: int
    at: datetime
    figures: dict[str, Decimal]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    month: date
    confirmations: dict[Role, Confirmation]
    accrual: Decimal | None = None  # the department's commission accrued for the month
    accrued_total: Decimal | None = None  # … and for the year so far

    @property
    def reconciled(self) -> bool:
        return all(role in self.confirmations for role in RECONCILERS)


class AlreadyConfirmed(DomainError):
    code = "reconciliation_confirmed"


class MonthNotDue(DomainError):
    """Months are reconciled in order, the one `reconciliation_due` names: a window left open
    on an earlier month must not confirm it after a later one has accrued."""

    code = "reconciliation_not_due"
