"""The contract (合同) from its application (合同申报单) to the ledger (合同台帐): its lines and
payment schedule (contract_terms.py), its status, and the production notice (生产通知单).

Seed, rules 2–4 and 6: the sales desk files the application from the order; the sales manager
signs it and the general manager approves it; the sales head signs the contract and finance
co-signs it, and only then is it in the ledger. The production notice is drawn up from a
contract in force and signed by the VP in charge of sales; the factory makes the goods and the
bot only records that they are ready."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.contract_terms import (
    ContractLine,
    PaymentSchedule,
    check_lines,
    check_schedule,
    contract_amount,
)
from bot.core.deals import InputProblem
from bot.core.errors import DomainError
from bot.core.statuses import StatusOrder, step_needed


@dataclass(frozen=True, slots=True)
class ContractDraft:
    """An application as filed, before it has an id."""

    deal_id: int
    customer_id: int
    owner_id: int  # the rep who follows the customer
    lines: tuple[ContractLine, ...]
    schedule: PaymentSchedule
    delivery_date: date

    @property
    def amount(self) -> Decimal:
        return contract_amount(self.lines)


def check_application(draft: ContractDraft, today: date) -> None:
    """What an application must hold before it goes for approval."""
    check_lines(draft.lines)
    check_schedule(draft.schedule, draft.amount)
    if draft.delivery_date < today:
        raise InputProblem("date_in_past", field="delivery_date")


class ContractStatus(StrEnum):
    applied = "applied"  # the application is going through approval
    returned = "returned"  # returned for changes; may be filed again
    refused = "refused"
    withdrawn = "withdrawn"
    awaiting_cosign = "awaiting_cosign"  # approved and signed; waits for finance's co-signature
    in_force = "in_force"  # co-signed: in the ledger
    closed = "closed"


CS = ContractStatus
# An approved contract binds both sides: from then on it is only co-signed, kept and closed.
MOVES: dict[ContractStatus, frozenset[ContractStatus]] = {
    CS.applied: frozenset({CS.awaiting_cosign, CS.returned, CS.refused, CS.withdrawn}),
    CS.returned: frozenset({CS.applied, CS.withdrawn}),
    CS.awaiting_cosign: frozenset({CS.in_force}),
    CS.in_force: frozenset({CS.closed}),
    CS.refused: frozenset(),
    CS.withdrawn: frozenset(),
    CS.closed: frozenset(),
}
# The way forward, named when a move skips a step.
FORWARD = (CS.applied, CS.awaiting_cosign, CS.in_force, CS.closed)


class ContractStatusOrder(StatusOrder):
    code = "contract_status_order"


def check_move(status: ContractStatus, to: ContractStatus) -> None:
    """Refuse a move the contract is not in a state for, naming the step that must come first;
    a refused, withdrawn or closed contract moves no more."""
    if to in MOVES[status]:
        return
    over = not MOVES[status]
    raise ContractStatusOrder(status, to, None if over else _needs(status, to), over)


def _needs(status: ContractStatus, to: ContractStatus) -> ContractStatus | None:
    if to not in FORWARD:
        return None
    if status is CS.returned:
        return CS.applied  # filed again first
    return step_needed(FORWARD, status, to)[1]


@dataclass(frozen=True, slots=True)
class Contract:
    id: int
    deal_id: int
    customer_id: int
    owner_id: int  # the rep who follows the customer
    filed_by: int
    status: ContractStatus
    lines: tuple[ContractLine, ...]
    schedule: PaymentSchedule
    delivery_date: date
    created_at: datetime
    request_id: int | None = None  # the approval request of its application
    number: str | None = None  # given when approved
    signed_by: int | None = None  # the sales head who signed
    signed_at: datetime | None = None
    cosigned_by: int | None = None  # finance
    cosigned_at: datetime | None = None
    production_signed_by: int | None = None
    production_signed_at: datetime | None = None
    goods_ready_at: datetime | None = None
    closed_at: datetime | None = None
    legal_flagged_at: datetime | None = None  # overdue past policy: a case for legal follow-up

    @property
    def amount(self) -> Decimal:
        return contract_amount(self.lines)


def moved(contract: Contract, to: ContractStatus, now: datetime) -> Contract:
    """A plain move (returned, refused, withdrawn, filed again, closed)."""
    check_move(contract.status, to)
    return replace(contract, status=to, closed_at=now if to is CS.closed else contract.closed_at)


def approved(contract: Contract, *, number: str, signed_by: int, now: datetime) -> Contract:
    """Approved: it takes its number and the sales head's signature, and waits for finance."""
    check_move(contract.status, CS.awaiting_cosign)
    return replace(
        contract, status=CS.awaiting_cosign, number=number, signed_by=signed_by, signed_at=now
    )


def cosigned(contract: Contract, *, by: int, now: datetime) -> Contract:
    check_move(contract.status, CS.in_force)
    return replace(contract, status=CS.in_force, cosigned_by=by, cosigned_at=now)


class ContractNotInForce(DomainError):
    """The step needs a contract in force (co-signed, not closed)."""

    code = "contract_not_in_force"

    def __init__(self, number: str | None, status: ContractStatus) -> None:
        super().__init__(number=number, status=status.value)
        self.number = number
        self.status = status


class AlreadyRecorded(DomainError):
    """`what` (production_notice, goods_ready) was recorded before, at `at`."""

    code = "already_recorded"

    def __init__(self, what: str, at: datetime | None) -> None:
        super().__init__(what=what, at=at)
        self.what = what
        self.at = at


class NoProductionNotice(DomainError):
    """Goods are made against a signed production notice; without one they are not ready."""

    code = "no_production_notice"

    def __init__(self, number: str | None) -> None:
        super().__init__(number=number)
        self.number = number


def check_in_force(contract: Contract) -> None:
    if contract.status is not CS.in_force:
        raise ContractNotInForce(contract.number, contract.status)


def production_signed(contract: Contract, *, by: int, now: datetime) -> Contract:
    """The production notice is drawn up from a contract in force, and signed once."""
    check_in_force(contract)
    if contract.production_signed_at is not None:
        raise AlreadyRecorded("production_notice", contract.production_signed_at)
    return replace(contract, production_signed_by=by, production_signed_at=now)


def goods_ready(contract: Contract, now: datetime) -> Contract:
    """Goods are ready only after the production notice was signed."""
    check_in_force(contract)
    if contract.production_signed_at is None:
        raise NoProductionNotice(contract.number)
    if contract.goods_ready_at is not None:
        raise AlreadyRecorded("goods_ready", contract.goods_ready_at)
    return replace(contract, goods_ready_at=now)


class ProductionStep(StrEnum):
    """Where a contract in force stands between its co-signature and its delivery notes."""

    to_sign = "to_sign"  # the production notice waits for its signature
    to_make = "to_make"  # signed; the factory makes the goods
    to_deliver = "to_deliver"  # the goods are ready and the deal is not delivered yet
