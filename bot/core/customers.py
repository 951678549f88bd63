"""The customer register (phase 1 of the seed): customers, their status history and visits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

CONTACT_MAX = 64
ADDRESS_MAX = 200
PICK_MAX = 40
OUTCOME_MAX = 500
NEXT_STEP_MAX = 300
CUSTOMER_NOTE_MAX = 500
SEARCH_MAX = 50  # a part of a name or phone
MAX_PHOTOS = 5


class CustomerStatus(StrEnum):
    prospect = "prospect"
    qualified = "qualified"
    won = "won"
    handed_over = "handed_over"
    lost = "lost"


# Which status may follow which; handing over has its own use case (it needs a recipient).
NEXT_STATUSES: dict[CustomerStatus, tuple[CustomerStatus, ...]] = {
    CustomerStatus.prospect: (CustomerStatus.qualified, CustomerStatus.lost),
    CustomerStatus.qualified: (CustomerStatus.won, CustomerStatus.lost),
    CustomerStatus.won: (CustomerStatus.lost,),
    CustomerStatus.handed_over: (),
    CustomerStatus.lost: (CustomerStatus.prospect,),
}


def next_statuses(customer: Customer) -> tuple[CustomerStatus, ...]:
    """The statuses this customer may move to (`NEXT_STATUSES`), and one more: a prospect the
    supervisor has confirmed (registered, seed E5) may be marked won straight away, because the
    seed's rep negotiates with a registered customer and records the deal (E6 → E7) without a
    qualified step in between."""
    allowed = NEXT_STATUSES[customer.status]
    if customer.status is CustomerStatus.prospect and customer.confirmed_at is not None:
        return (CustomerStatus.qualified, CustomerStatus.won, CustomerStatus.lost)
    return allowed


@dataclass(slots=True)
class Customer:
    id: int
    name: str
    owner_id: int
    status: CustomerStatus
    created_at: datetime
    phone: str | None = None
    contact_name: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    industry: str | None = None
    size: str | None = None
    region: str | None = None
    source: str | None = None
    shop_url: str | None = None
    note: str | None = None
    name_key: str = ""
    confirmed_by: int | None = None
    confirmed_at: datetime | None = None
    next_follow_up: date | None = None
    last_visit_on: date | None = None
    service_id: int | None = None  # the customer service person it was handed to
    # The pool (bot/core/pool.py): when the owner took it (None: when it was registered), when
    # it went to the pool (owner_id then names the previous owner), the return day warned of.
    taken_at: datetime | None = None
    pooled_at: datetime | None = None
    pool_warned_for: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (
            CustomerStatus.prospect,
            CustomerStatus.qualified,
            CustomerStatus.won,
        )


@dataclass(frozen=True, slots=True)
class CustomerDraft:
    """What a rep typed when registering; every text already checked and trimmed."""

    name: str
    phone: str | None = None
    contact_name: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    industry: str | None = None
    size: str | None = None
    region: str | None = None
    source: str | None = None
    shop_url: str | None = None
    note: str | None = None


@dataclass(slots=True)
class CustomerEvent:
    customer_id: int
    action: str
    actor_id: int | None
    at: datetime
    from_status: str | None = None
    to_status: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class VisitDraft:
    customer_id: int
    kind: str
    visited_on: date
    outcome: str
    intent: str
    next_step: str | None = None
    next_follow_up: date | None = None
    latitude: float | None = None
    longitude: float | None = None
    photos: tuple[str, ...] = ()


@dataclass(slots=True)
class Visit:
    id: int
    customer_id: int
    rep_id: int
    kind: str
    visited_on: date
    logged_at: datetime
    outcome: str
    intent: str
    next_step: str | None = None
    next_follow_up: date | None = None
    latitude: float | None = None
    longitude: float | None = None
    distance_m: float | None = None
    far: bool = False
    photos: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CustomerLine:
    """A customer as the target-customer table (目标客户基本信息情况统计表) lists it: the record
    with its visits counted and the purchase intent of the latest one."""

    customer: Customer
    visits: int
    latest_intent: str | None


@dataclass(slots=True)
class DuplicateHit:
    customer: Customer
    owner_name: str
    by_phone: bool
    visible: bool
    pooled: bool = False  # in the pool: named as "the customer pool", not by its last owner
