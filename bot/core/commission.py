"""The commission sheet (业务提成表) as a record (seed, rule 9): the sales desk files the rep's
sheet for a month, the policy's chain (accountant, finance VP, general manager) checks it one
after the other, and the accountant marks it paid. Any checker may return it to the desk with
a reason; the desk then files a fresh sheet, generated again from the payments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.calendar import month_end, month_start
from bot.core.collections import (
    Commission,
    CommissionSheet,
    Receipt,
    SheetLine,
    accrued_interest,
    interest_deduction,
)
from bot.core.contract_terms import PaymentSchedule
from bot.core.deals import clean_text
from bot.core.errors import DomainError
from bot.core.policy import Collections
from bot.core.roles import Role

RETURN_REASON_MAX = 300
PAID_REFERENCE_MAX = 64


class SheetStatus(StrEnum):
    filed = "filed"  # in the chain: `step` says whose check it waits for
    approved = "approved"  # the last of the chain approved: to be paid
    paid = "paid"
    returned = "returned"  # back to the desk with a reason; a new sheet replaces it


LIVE = frozenset({SheetStatus.filed, SheetStatus.approved, SheetStatus.paid})


@dataclass(frozen=True, slots=True)
class Check:
    """One step of the chain passed: which role, who, when."""

    role: Role
    by: int
    at: datetime


@dataclass(frozen=True, slots=True)
class SheetRecord:
    id: int
    rep_id: int
    month: date  # the first day of the month
    status: SheetStatus
    lines: tuple[SheetLine, ...]
    total: Commission
    excluded: tuple[int, ...]
    filed_by: int
    filed_at: datetime
    step: int = 0  # how many of the chain checked it
    checks: tuple[Check, ...] = ()
    paid_by: int | None = None
    paid_at: datetime | None = None
    paid_reference: str | None = None
    returned_by: int | None = None
    returned_at: datetime | None = None
    return_reason: str | None = None


@dataclass(frozen=True, slots=True)
class SheetDraft:
    """What the desk files: the generated sheet of one rep for one month."""

    rep_id: int
    month: date
    sheet: CommissionSheet


class SheetMoved(DomainError):
    """The sheet is no longer where the tap found it (checked, returned or paid meanwhile)."""

    code = "commission_sheet_moved"

    def __init__(self, status: SheetStatus) -> None:
        super().__init__(status=status.value)
        self.status = status


class SheetAlreadyFiled(DomainError):
    """The rep already has a live sheet for the month: return it first to file another."""

    code = "commission_sheet_filed"


class MonthNotOver(DomainError):
    """A month's sheet is filed once the month is over: its money is all in."""

    code = "commission_month_open"


class NothingToFile(DomainError):
    """No money collected and no deduction: an empty sheet is not filed."""

    code = "commission_nothing"


def waits_for(sheet: SheetRecord, chain: tuple[Role, ...]) -> Role | None:
    """The role whose check the sheet waits for; None once approved, paid or returned."""
    if sheet.status is not SheetStatus.filed or sheet.step >= len(chain):
        return None
    return chain[sheet.step]


def check_sheet(
    sheet: SheetRecord, chain: tuple[Role, ...], *, by: int, now: datetime
) -> SheetRecord:
    """The next of the chain checks; the last one's check is the approval."""
    role = waits_for(sheet, chain)
    if role is None:
        raise SheetMoved(sheet.status)
    step = sheet.step + 1
    status = SheetStatus.approved if step == len(chain) else SheetStatus.filed
    return replace(sheet, status=status, step=step, checks=(*sheet.checks, Check(role, by, now)))


def return_sheet(sheet: SheetRecord, *, by: int, reason: str, now: datetime) -> SheetRecord:
    """Back to the desk from any step of the chain, with the reason as written."""
    if sheet.status is not SheetStatus.filed:
        raise SheetMoved(sheet.status)
    kept = clean_text(reason, limit=RETURN_REASON_MAX)
    return replace(
        sheet, status=SheetStatus.returned, returned_by=by, returned_at=now, return_reason=kept
    )


def pay_sheet(sheet: SheetRecord, *, by: int, reference: str | None, now: datetime) -> SheetRecord:
    """Marked paid once, after the approval; the payout's reference is optional."""
    if sheet.status is not SheetStatus.approved:
        raise SheetMoved(sheet.status)
    kept = (
        clean_text(reference, limit=PAID_REFERENCE_MAX) if reference and reference.strip() else None
    )
    return replace(sheet, status=SheetStatus.paid, paid_by=by, paid_at=now, paid_reference=kept)


def month_deduction(
    schedule: PaymentSchedule, receipts: Sequence[Receipt], month: date, policy: Collections
) -> Decimal:
    """What the month's overdue money costs the rep (rule 5): the interest accrued on the
    month's own days (`accrued_interest`, money paid late included), times
    `commission_deduction`. So a month is charged once, not the whole interest again every
    month.

    Worked examples at 6 %, share 1: 20,000.00 due 03-01 and unpaid → March (30 late days)
    98.63, April (30 days) 98.63. The same paid on 04-10 → April's deduction is the 10 days
    04-01..04-10: 32.88."""
    interest = accrued_interest(
        schedule, receipts, month_end(month), policy.interest_rate, since=month_start(month)
    )
    return interest_deduction(interest, policy.commission_deduction)
