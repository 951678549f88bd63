"""The deal as a record with stages (phases 2–3 of the seed): from the customer's agreement
(成交) through the reservation, the deposit, the contract, delivery and payment to its close.

Each stage needs the one before it: the seed's order is terms approved → reservation (签预定书)
→ deposit (交定金, with a receipt) → contract (合同, co-signed by finance) → delivery (发货) →
payment → closed. A deal may be lost until the contract is signed; after that the contract
binds both sides and what remains is to deliver and collect."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from bot.core.deals import InputProblem, clean_text
from bot.core.errors import DomainError
from bot.core.models import Person
from bot.core.policy import FiledBy
from bot.core.roles import Role


class DealStage(StrEnum):
    negotiating = "negotiating"
    reserved = "reserved"
    deposit_paid = "deposit_paid"
    contracted = "contracted"
    delivered = "delivered"
    paid = "paid"
    closed = "closed"
    lost = "lost"


# The stages in the seed's order; each follows the one before it.
FORWARD: tuple[DealStage, ...] = (
    DealStage.negotiating,
    DealStage.reserved,
    DealStage.deposit_paid,
    DealStage.contracted,
    DealStage.delivered,
    DealStage.paid,
    DealStage.closed,
)
# Before the contract the customer may still walk away; a signed contract is kept.
LOSABLE = frozenset({DealStage.negotiating, DealStage.reserved, DealStage.deposit_paid})


class StageOrder(DomainError):
    """A move the deal is not ready for. `needs` is the next stage it must reach first (the
    sentence says what must happen); None when the move goes back, or when the deal is `over`."""

    code = "stage_order"

    def __init__(self, wanted: DealStage, needs: DealStage | None, over: bool = False) -> None:
        super().__init__(wanted=wanted.value, needs=needs.value if needs else None, over=over)
        self.wanted = wanted
        self.needs = needs
        self.over = over


class PaymentMethod(StrEnum):
    bank_transfer = "bank_transfer"
    cash = "cash"
    cheque = "cheque"
    acceptance_bill = "acceptance_bill"  # 承兑汇票, the bank's promise to pay at a date
    other = "other"


RECEIPT_MAX = 32  # as printed in the accountant's receipt book
REFERENCE_MAX = 64  # a bank reference, a cheque number
FILE_ID_MAX = 256
PAYMENT_BACKDATE_DAYS = 90


@dataclass(frozen=True, slots=True)
class Reservation:
    """The signed reservation (签预定书): the amount agreed on the approved terms, the deposit the
    customer is to pay, and the signed page as the rep photographed or sent it."""

    amount: Decimal
    expected_deposit: Decimal
    signed_page: str  # a Telegram file id
    page_is_photo: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Deposit:
    """The deposit (定金) as the accountant recorded it, with the number of the receipt (收据)
    she gave: a receipt, never an invoice, because invoices come only from 60 % collected."""

    amount: Decimal
    paid_on: date
    method: PaymentMethod
    receipt_no: str
    reference: str | None
    recorded_by: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    customer_id: int
    owner_id: int  # the rep who recorded the agreement and follows the deal
    stage: DealStage
    opened_at: datetime
    stage_at: datetime  # when the deal reached its stage
    request_id: int | None = None  # the approved special terms it was won on, never retyped
    reservation: Reservation | None = None
    deposit: Deposit | None = None

    @property
    def over(self) -> bool:
        return self.stage in (DealStage.closed, DealStage.lost)


def check_move(stage: DealStage, to: DealStage) -> None:
    """Refuse a move out of order, naming the step that must come next."""
    if stage in (DealStage.closed, DealStage.lost):
        raise StageOrder(to, None, over=True)
    if to is DealStage.lost:
        if stage not in LOSABLE:
            raise StageOrder(to, None)
        return
    here, there = FORWARD.index(stage), FORWARD.index(to)
    if there != here + 1:
        raise StageOrder(to, FORWARD[here + 1] if there > here else None)


def moved(deal: Deal, to: DealStage, now: datetime) -> Deal:
    check_move(deal.stage, to)
    return replace(deal, stage=to, stage_at=now)


def check_reservation(amount: Decimal, expected_deposit: Decimal) -> None:
    if expected_deposit > amount:
        raise InputProblem("deposit_over_amount")


def check_paid_on(paid_on: date, today: date) -> None:
    """Money is recorded as it arrived: never dated ahead, and at most a quarter back."""
    if paid_on > today:
        raise InputProblem("future_payment")
    if paid_on < today - timedelta(days=PAYMENT_BACKDATE_DAYS):
        raise InputProblem("payment_too_old", days=PAYMENT_BACKDATE_DAYS)


def receipt_no(text: str) -> str:
    return clean_text(text, limit=RECEIPT_MAX)


def reference(text: str) -> str:
    return clean_text(text, limit=REFERENCE_MAX)


def may_mark_lost(actor: Person, deal: Deal) -> bool:
    """Its rep, or a manager who sees the customer, marks a deal lost; only before the
    contract (a signed contract binds both sides)."""
    return deal.stage in LOSABLE and (deal.owner_id == actor.id or actor.manages)


def may_file(actor: Person, owner_id: int, filed_by: FiledBy, desk_staffed: bool) -> bool:
    """Who files a deal's order papers (contract application, delivery notes, work orders).
    The sales desk always may. The deal's rep may when the policy says the reps file, and
    also when the company has nobody at the sales desk: a small company's rep does the desk's
    work rather than the deal waiting for a role nobody holds."""
    if actor.role is Role.sales_desk:
        return True
    return actor.id == owner_id and (filed_by is FiledBy.rep or not desk_staffed)
