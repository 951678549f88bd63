"""Payments against a contract (回款) and the ledger's figures (合同台帐).

Seed, rules 4–5: per contract the ledger shows the amount, what was delivered and collected,
what is outstanding and what is overdue; overdue money attracts interest and is deducted from
commission, so what counts as overdue is stated exactly (`overdue`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.contract_terms import PaymentSchedule
from bot.core.contracts import Contract, check_in_force
from bot.core.deals import CENT, InputProblem
from bot.core.errors import DomainError
from bot.core.orders import REFERENCE_MAX, PaymentMethod

__all__ = ["REFERENCE_MAX", "PaymentMethod"]  # one method list for deposits and payments


@dataclass(frozen=True, slots=True)
class PaymentDraft:
    contract_id: int
    amount: Decimal
    paid_on: date
    method: PaymentMethod
    reference: str | None = None  # the bank slip or bill number


@dataclass(frozen=True, slots=True)
class Payment:
    id: int
    contract_id: int
    amount: Decimal
    paid_on: date
    method: PaymentMethod
    reference: str | None
    recorded_by: int
    recorded_at: datetime


class OverPayment(DomainError):
    """What was collected (the deposit received and the payments) would pass the contract
    amount; `room` is what may still be recorded."""

    code = "over_payment"

    def __init__(self, amount: Decimal, collected: Decimal, asked: Decimal) -> None:
        room = amount - collected
        super().__init__(amount=amount, collected=collected, asked=asked, room=room)
        self.amount = amount
        self.collected = collected
        self.asked = asked
        self.room = room


def check_payment(
    contract: Contract, collected: Decimal, payment: PaymentDraft, today: date
) -> None:
    """A payment is recorded against a contract in force, for a positive amount to the cent,
    on a day not in the future, and never past the contract amount: 100,000.00 with 60,000.00
    collected takes at most 40,000.00 more."""
    check_in_force(contract)
    if payment.amount <= 0:
        raise InputProblem("not_positive", field="amount")
    if payment.amount != payment.amount.quantize(CENT):
        raise InputProblem("too_many_places", places=2, field="amount")
    if payment.paid_on > today:
        raise InputProblem("future_date", field="paid_on")
    if payment.reference is not None and len(payment.reference) > REFERENCE_MAX:
        raise InputProblem("too_long", limit=REFERENCE_MAX, length=len(payment.reference))
    if collected + payment.amount > contract.amount:
        raise OverPayment(contract.amount, collected, payment.amount)


def first_payment(payments: Sequence[Payment]) -> Payment | None:
    """The earliest paid, the earliest recorded of a day."""
    return min(payments, key=lambda p: (p.paid_on, p.recorded_at, p.id), default=None)


@dataclass(frozen=True, slots=True)
class LedgerFigures:
    amount: Decimal
    deposit_received: Decimal
    paid: Decimal  # payments against the contract
    collected: Decimal  # deposit received + paid
    outstanding: Decimal  # amount − collected
    delivered: tuple[Decimal, ...]  # quantity per contract line
    delivered_amount: Decimal
    overdue: Decimal
    overdue_since: date | None  # the due date of the oldest instalment not fully collected
    first_payment: Payment | None

    @property
    def collected_share(self) -> Decimal:
        """Collected ÷ amount (0.6 = 60 %), what the invoice rule reads."""
        return self.collected / self.amount if self.amount else Decimal(0)


class Mark(StrEnum):
    """Where a part of the schedule stands."""

    paid = "paid"
    part_paid = "part_paid"
    overdue = "overdue"  # due before today and not fully collected
    open = "open"  # not yet due, nothing collected against it


@dataclass(frozen=True, slots=True)
class ScheduleState:
    due: date | None  # None: the deposit, which has no due date of its own
    amount: Decimal
    covered: Decimal  # what of it the money collected pays
    mark: Mark


def schedule_states(
    schedule: PaymentSchedule, collected: Decimal, today: date
) -> list[ScheduleState]:
    """The deposit and each instalment with what of it is paid. Collected money pays the
    deposit first, then the instalments oldest first; an instalment due before `today` (not
    on it) and not fully paid so is overdue. The deposit has no due date of its own: a
    shortfall on it shows once an instalment falls due."""
    states = [
        _state(None, schedule.deposit, min(max(collected, Decimal(0)), schedule.deposit), today)
    ]
    left = collected - schedule.deposit
    for instalment in schedule.instalments:
        covered = min(max(left, Decimal(0)), instalment.amount)
        left -= instalment.amount
        states.append(_state(instalment.due, instalment.amount, covered, today))
    return states


def _state(due: date | None, amount: Decimal, covered: Decimal, today: date) -> ScheduleState:
    if covered >= amount:
        mark = Mark.paid
    elif due is not None and due < today:
        mark = Mark.overdue
    else:
        mark = Mark.part_paid if covered > 0 else Mark.open
    return ScheduleState(due, amount, covered, mark)


def overdue(
    schedule: PaymentSchedule, collected: Decimal, today: date
) -> tuple[Decimal, date | None]:
    """What is overdue, and since when (`schedule_states`). Worked example: deposit 30,000,
    instalments 40,000 due 03-01 and 30,000 due 04-01, collected 50,000, today 04-15 → the
    first is short by 20,000, the second by 30,000: overdue 50,000 since 03-01."""
    late = [s for s in schedule_states(schedule, collected, today) if s.mark is Mark.overdue]
    return sum((s.amount - s.covered for s in late), Decimal(0)), late[0].due if late else None


def ledger_figures(
    contract: Contract,
    payments: Sequence[Payment],
    deposit_received: Decimal,
    delivered: Sequence[Decimal],
    today: date,
) -> LedgerFigures:
    """The ledger row of one contract. `delivered` is the quantity per line the notes not
    cancelled deliver (deliveries.delivered_quantities, or the repository's batch read)."""
    paid = sum((p.amount for p in payments), Decimal(0))
    collected = deposit_received + paid
    late, since = overdue(contract.schedule, collected, today)
    return LedgerFigures(
        amount=contract.amount,
        deposit_received=deposit_received,
        paid=paid,
        collected=collected,
        outstanding=contract.amount - collected,
        delivered=tuple(delivered),
        delivered_amount=sum(
            (line.amount_of(q) for line, q in zip(contract.lines, delivered, strict=True)),
            Decimal(0),
        ),
        overdue=late,
        overdue_since=since,
        first_payment=first_payment(payments),
    )


class FirstPaymentMissing(DomainError):
    """No follow-on work until the contract's first payment arrived (seed, rule 10). Names
    the first instalment (None when the schedule has none) and the deposit received, which
    does not count."""

    code = "first_payment_missing"

    def __init__(
        self,
        number: str | None,
        first_amount: Decimal | None,
        first_due: date | None,
        received: Decimal,
    ) -> None:
        super().__init__(
            number=number, first_amount=first_amount, first_due=first_due, received=received
        )
        self.number = number
        self.first_amount = first_amount
        self.first_due = first_due
        self.received = received


def check_first_payment(
    contract: Contract, payments: Sequence[Payment], deposit_received: Decimal
) -> None:
    """The first payment is the first payment recorded against the contract once it is in
    force, of any amount; the deposit (定金, paid before the contract) does not count, since
    it shows only that the customer reserved, not that the contract is being paid. A
    contract whose schedule is the deposit alone has no first payment to wait for once the
    deposit covers the whole amount."""
    if payments:
        return
    if not contract.schedule.instalments and deposit_received >= contract.amount:
        return
    first = contract.schedule.instalments[0] if contract.schedule.instalments else None
    raise FirstPaymentMissing(
        contract.number,
        first.amount if first else None,
        first.due if first else None,
        deposit_received,
    )
