"""Invoices (发票, seed rule 11): asked for on a contract by its rep or the sales desk, allowed
only from the policy's threshold of the amount collected (`collections.check_invoice`, 60 %),
signed by the finance VP through the approval engine, then issued by an accountant who records
its number and date. After the invoice the ledger follows the balance (合同余款) until paid."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.deals import InputProblem, to_cent
from bot.core.errors import DomainError
from bot.core.models import Person
from bot.core.roles import Role

NUMBER_MAX = 32
# An invoice is dated the day it is issued, or recorded late within this many days.
ISSUE_BACK_DAYS = 90


class InvoiceStatus(StrEnum):
    asked = "asked"  # with the finance VP
    approved = "approved"  # signed: an accountant issues it
    issued = "issued"
    refused = "refused"
    returned = "returned"
    withdrawn = "withdrawn"


# The invoices that count against the contract amount; an ended one leaves room for a new ask.
LIVE = frozenset({InvoiceStatus.asked, InvoiceStatus.approved, InvoiceStatus.issued})


@dataclass(frozen=True, slots=True)
class Invoice:
    id: int
    contract_id: int
    amount: Decimal
    status: InvoiceStatus
    asked_by: int
    asked_at: datetime
    collected: Decimal  # collected on the contract when it was asked: the VP decides on it
    request_id: int | None = None
    number: str | None = None
    issued_on: date | None = None
    issued_by: int | None = None
    issued_at: datetime | None = None


class InvoiceAmount(DomainError):
    """The invoice amount is above zero and within what is not invoiced yet (`room`)."""

    code = "invoice_amount"

    def __init__(self, asked: Decimal, room: Decimal) -> None:
        super().__init__(asked=asked, room=room)
        self.asked = asked
        self.room = room


class InvoiceAlreadyMoved(DomainError):
    """The invoice is no longer waiting for this step (another accountant issued it)."""

    code = "invoice_moved"

    def __init__(self, number: str | None) -> None:
        super().__init__(number=number)
        self.number = number


class FullyInvoiced(DomainError):
    """Everything on the contract is invoiced (or asked for) already."""

    code = "fully_invoiced"

    def __init__(self, number: str | None) -> None:
        super().__init__(number=number)
        self.number = number


class InvoiceNumberTaken(DomainError):
    """An invoice number (发票号码) is recorded once: the same number on two invoices is a
    typing slip, or the same paper booked twice."""

    code = "invoice_number_taken"

    def __init__(self, number: str, contract: str | None) -> None:
        super().__init__(number=number, contract=contract)
        self.number = number
        self.contract = contract


def may_ask(actor: Person, owner_id: int) -> bool:
    """Who asks for an invoice: the sales desk, or the rep who owns the contract."""
    return actor.role is Role.sales_desk or actor.id == owner_id


def invoiced(invoices: Iterable[Invoice]) -> Decimal:
    return sum((i.amount for i in invoices if i.status in LIVE), Decimal(0))


def room(contract_amount: Decimal, invoices: Iterable[Invoice]) -> Decimal:
    """What may still be invoiced: the amount less what is asked or issued. ¥100,000.00 with
    ¥60,000.00 invoiced leaves ¥40,000.00."""
    return max(contract_amount - invoiced(invoices), Decimal(0))


def check_amount(asked: Decimal, free: Decimal) -> Decimal:
    amount = to_cent(asked)
    if amount <= 0 or amount > free:
        raise InvoiceAmount(amount, free)
    return amount


def clean_number(text: str) -> str:
    """The invoice number (发票号码) as printed: letters and digits, at most 32."""
    value = text.strip().upper()
    if not value:
        raise InputProblem("empty")
    if len(value) > NUMBER_MAX:
        raise InputProblem("too_long", limit=NUMBER_MAX, length=len(value))
    if not value.isascii() or not value.isalnum():
        raise InputProblem("invoice_number")
    return value


def check_issue_date(issued_on: date, today: date) -> date:
    """Issued today or earlier, and not more than 90 days back (a typing slip, not a date)."""
    if issued_on > today:
        raise InputProblem("future_invoice")
    if (today - issued_on).days > ISSUE_BACK_DAYS:
        raise InputProblem("invoice_too_old", days=ISSUE_BACK_DAYS)
    return issued_on


def issue(
    invoice: Invoice, *, number: str, issued_on: date, by: int, today: date, now: datetime
) -> Invoice:
    if invoice.status is not InvoiceStatus.approved:
        raise InvoiceAlreadyMoved(invoice.number)
    return replace(
        invoice,
        status=InvoiceStatus.issued,
        number=clean_number(number),
        issued_on=check_issue_date(issued_on, today),
        issued_by=by,
        issued_at=now,
    )


def contract_balance(
    amount: Decimal, collected: Decimal, invoices: Iterable[Invoice]
) -> Decimal | None:
    """The balance (合同余款) the ledger follows once an invoice is issued: the amount less what
    is collected, until paid. ¥100,000.00 with ¥60,000.00 collected → ¥40,000.00; None before
    any invoice is issued."""
    if not any(i.status is InvoiceStatus.issued for i in invoices):
        return None
    return max(amount - collected, Decimal(0))
