"""The deal as a record with stages (phases 2–3 of the seed): from the customer's agreement
(成交) through the reservation, the deposit, the contract, delivery and payment to its close.

Each stage needs the one before it: the seed's order is terms approved → reservation (签预定书)
→ deposit (交定金, with a receipt) → contract (合同, co-signed by finance) → delivery (发货) →
payment → closed. A deal may be lost until the contract is signed; after that the contract
binds both sides and what remains is to deliver and collect."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.core.errors import DomainError


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


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    customer_id: int
    owner_id: int  # the rep who recorded the agreement and follows the deal
    stage: DealStage
    opened_at: datetime
    stage_at: datetime  # when the deal reached its stage
    request_id: int | None = None  # the approved special terms it was won on, never retyped

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
