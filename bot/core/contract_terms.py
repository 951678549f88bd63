"""The terms of a contract: its lines (product, quantity, unit price, discount) and its payment
schedule (the deposit and the instalments), with their validation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.core.deals import CENT, PRODUCT_MAX, InputProblem, to_cent

LINES_MAX = 20
INSTALMENTS_MAX = 12
QUANTITY_PLACES = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class ContractLine:
    product: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal | None = None  # percent off the unit price

    @property
    def amount(self) -> Decimal:
        return self.amount_of(self.quantity)

    def amount_of(self, quantity: Decimal) -> Decimal:
        """What `quantity` of this line costs, rounded once: 3 × 1,999.99 at 12.5 % →
        to_cent(5,249.97375) = 5,249.97."""
        discount = self.discount or Decimal(0)
        return to_cent(quantity * self.unit_price * (100 - discount) / 100)


@dataclass(frozen=True, slots=True)
class Instalment:
    due: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentSchedule:
    """The deposit (定金, paid before the contract) and the instalments after it."""

    deposit: Decimal
    instalments: tuple[Instalment, ...] = ()

    @property
    def total(self) -> Decimal:
        return self.deposit + sum((i.amount for i in self.instalments), Decimal(0))


def contract_amount(lines: tuple[ContractLine, ...]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))


def _cents(value: Decimal, **where: object) -> None:
    if value != value.quantize(CENT):
        raise InputProblem("too_many_places", places=2, **where)


def check_line(line: ContractLine, position: int = 0) -> None:
    """A line as the form gives it; `position` (from 0) is named in the refusal as `line`."""
    where = {"line": position + 1}
    if not line.product.strip():
        raise InputProblem("empty", field="product", **where)
    if len(line.product) > PRODUCT_MAX:
        raise InputProblem("too_long", limit=PRODUCT_MAX, length=len(line.product), **where)
    if line.quantity <= 0:
        raise InputProblem("not_positive", field="quantity", **where)
    if line.quantity != line.quantity.quantize(QUANTITY_PLACES):
        raise InputProblem("too_many_places", places=3, field="quantity", **where)
    if line.unit_price <= 0:
        raise InputProblem("not_positive", field="unit_price", **where)
    _cents(line.unit_price, field="unit_price", **where)
    if line.discount is not None and not Decimal(0) <= line.discount < 100:
        raise InputProblem("bad_discount", **where)
    if line.discount is not None:
        _cents(line.discount, field="discount", **where)


def check_lines(lines: tuple[ContractLine, ...]) -> None:
    if not lines:
        raise InputProblem("no_lines")
    if len(lines) > LINES_MAX:
        raise InputProblem("too_many_lines", maximum=LINES_MAX)
    for position, line in enumerate(lines):
        check_line(line, position)


def check_schedule(schedule: PaymentSchedule, amount: Decimal) -> None:
    """The deposit and the instalments add up to the contract amount to the cent, so the
    ledger can say at any day what is due; instalments fall due one after another."""
    if schedule.deposit < 0:
        raise InputProblem("deposit_negative")
    _cents(schedule.deposit, field="deposit")
    if len(schedule.instalments) > INSTALMENTS_MAX:
        raise InputProblem("too_many_instalments", maximum=INSTALMENTS_MAX)
    previous: date | None = None
    for number, instalment in enumerate(schedule.instalments, 1):
        if instalment.amount <= 0:
            raise InputProblem("not_positive", field="instalment", instalment=number)
        _cents(instalment.amount, field="instalment", instalment=number)
        if previous is not None and instalment.due <= previous:
            raise InputProblem("dues_not_ascending", instalment=number, due=instalment.due)
        previous = instalment.due
    if schedule.total != amount:
        raise InputProblem(
            "schedule_mismatch",
            amount=amount,
            scheduled=schedule.total,
            difference=amount - schedule.total,
        )
