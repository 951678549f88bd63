"""Delivery notes (发货单), a contract delivered in parts.

Seed, rule 8: the sales desk fills in the note and the sales manager signs it; the warehouse
ships against it; finance books the delivery only when the customer's copy comes back signed.
A note is filed only for a contract in force whose goods are ready, and the notes together
never deliver more of a line than the contract ordered."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.contract_terms import QUANTITY_PLACES, ContractLine
from bot.core.contracts import Contract, check_in_force
from bot.core.deals import InputProblem
from bot.core.errors import DomainError
from bot.core.statuses import StatusOrder, step_needed


class DeliveryStatus(StrEnum):
    filed = "filed"
    signed = "signed"  # by the sales manager
    shipped = "shipped"  # the goods went out
    copy_received = "copy_received"  # the customer's signed copy is back
    booked = "booked"  # finance booked the delivery
    cancelled = "cancelled"


DS = DeliveryStatus
FORWARD = (DS.filed, DS.signed, DS.shipped, DS.copy_received, DS.booked)
# Until the goods leave, a note may be cancelled; its quantities then count no more.
CANCELLABLE = frozenset({DS.filed, DS.signed})


@dataclass(frozen=True, slots=True)
class DeliveryNote:
    id: int
    contract_id: int
    seq: int  # 1, 2, … within the contract
    lines: tuple[Decimal, ...]  # the quantity of each contract line, in the contract's order
    status: DeliveryStatus
    filed_by: int
    filed_at: datetime
    signed_by: int | None = None
    signed_at: datetime | None = None
    shipped_at: datetime | None = None
    signed_copy: str | None = None  # the Telegram file id of the customer's signed copy
    copy_at: datetime | None = None
    booked_by: int | None = None  # the accountant
    booked_at: datetime | None = None
    cancelled_at: datetime | None = None


class DeliveryStatusOrder(StatusOrder):
    code = "delivery_status_order"


class SignedCopyMissing(DomainError):
    """Finance books a delivery only against the customer's signed copy of the note."""

    code = "signed_copy_missing"

    def __init__(self, seq: int | None) -> None:
        super().__init__(seq=seq)
        self.seq = seq


class GoodsNotReady(DomainError):
    code = "goods_not_ready"

    def __init__(self, number: str | None) -> None:
        super().__init__(number=number)
        self.number = number


class OverDelivery(DomainError):
    """The notes would deliver more of a line than the contract ordered."""

    code = "over_delivery"

    def __init__(self, product: str, ordered: Decimal, delivered: Decimal, asked: Decimal) -> None:
        super().__init__(product=product, ordered=ordered, delivered=delivered, asked=asked)
        self.product = product
        self.ordered = ordered
        self.delivered = delivered
        self.asked = asked


def check_delivery_move(status: DeliveryStatus, to: DeliveryStatus, seq: int | None = None) -> None:
    """One step at a time; booking note `seq` without the signed copy names the copy."""
    over = status in (DS.booked, DS.cancelled)
    if to is DS.cancelled and status in CANCELLABLE:
        return
    if over or to is DS.cancelled:
        raise DeliveryStatusOrder(status, to, None, over)
    ok, needs = step_needed(FORWARD, status, to)
    if ok:
        return
    if to is DS.booked and status is DS.shipped:
        raise SignedCopyMissing(seq)
    raise DeliveryStatusOrder(status, to, needs, over)


def check_filing(contract: Contract) -> None:
    """A note is filed only for a contract in force whose goods are ready."""
    check_in_force(contract)
    if contract.goods_ready_at is None:
        raise GoodsNotReady(contract.number)


def check_delivery(
    lines: Sequence[ContractLine], delivered: Sequence[Decimal], asked: Sequence[Decimal]
) -> None:
    """`asked` (a quantity per contract line, 0 for none) fits what is still to deliver:
    ordered 10, delivered 6 → up to 4 more; 4 is accepted, 4.001 refused."""
    if len(asked) != len(lines) or len(delivered) != len(lines):
        raise InputProblem("bad_choice")
    if not any(asked):
        raise InputProblem("nothing_to_deliver")
    for line, done, quantity in zip(lines, delivered, asked, strict=True):
        if quantity < 0:
            raise InputProblem("not_positive", field="quantity")
        if quantity != quantity.quantize(QUANTITY_PLACES):
            raise InputProblem("too_many_places", places=3, field="quantity")
        if done + quantity > line.quantity:
            raise OverDelivery(line.product, line.quantity, done, quantity)


def delivered_quantities(line_count: int, notes: Iterable[DeliveryNote]) -> tuple[Decimal, ...]:
    """Per contract line, what the notes deliver: every note counts but a cancelled one."""
    totals = [Decimal(0)] * line_count
    for note in notes:
        if note.status is not DS.cancelled:
            for position, quantity in enumerate(note.lines):
                totals[position] += quantity
    return tuple(totals)


def _moved(note: DeliveryNote, to: DeliveryStatus) -> DeliveryNote:
    check_delivery_move(note.status, to, note.seq)
    return replace(note, status=to)


def sign_note(note: DeliveryNote, *, by: int, now: datetime) -> DeliveryNote:
    return replace(_moved(note, DS.signed), signed_by=by, signed_at=now)


def ship_note(note: DeliveryNote, now: datetime) -> DeliveryNote:
    return replace(_moved(note, DS.shipped), shipped_at=now)


def receive_copy(note: DeliveryNote, *, file_id: str, now: datetime) -> DeliveryNote:
    return replace(_moved(note, DS.copy_received), signed_copy=file_id, copy_at=now)


def book_note(note: DeliveryNote, *, by: int, now: datetime) -> DeliveryNote:
    return replace(_moved(note, DS.booked), booked_by=by, booked_at=now)


def cancel_note(note: DeliveryNote, now: datetime) -> DeliveryNote:
    return replace(_moved(note, DS.cancelled), cancelled_at=now)
