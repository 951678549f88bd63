"""Approval requests and their steps: the state a request moves through on its way up the chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.core.deals import DealTerms
from bot.core.errors import DomainError
from bot.core.roles import Role


class RequestStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    returned = "returned"
    withdrawn = "withdrawn"


class StepStatus(StrEnum):
    waiting = "waiting"  # later in the chain, not open yet
    pending = "pending"  # open: the approver (or their delegate) decides
    approved = "approved"
    rejected = "rejected"
    returned = "returned"
    cancelled = "cancelled"  # the request ended before this step was decided


class Moved(StrEnum):
    """Why a step left its approver for good: someone above decides it on their behalf."""

    deactivated = "deactivated"
    unreachable = "unreachable"  # the bot could not reach them by the step's deadline
    transferred = "transferred"  # 转交: the decider handed the step to someone allowed to decide it


class Decision(StrEnum):
    approve = "approve"
    reject = "reject"
    return_for_changes = "return"

    @property
    def step_status(self) -> StepStatus:
        return {
            Decision.approve: StepStatus.approved,
            Decision.reject: StepStatus.rejected,
            Decision.return_for_changes: StepStatus.returned,
        }[self]

    @property
    def needs_reason(self) -> bool:
        return self is not Decision.approve


@dataclass(slots=True)
class ApprovalRequest:
    id: int
    kind: str
    requester_id: int
    terms: DealTerms
    status: RequestStatus
    created_at: datetime
    round: int = 1
    closed_at: datetime | None = None
    previous_terms: DealTerms | None = None  # the round before, to show what changed


@dataclass(slots=True)
class ApprovalStep:
    id: int
    request_id: int
    round: int
    position: int
    role: Role
    approver_id: int
    reason: dict[str, str | None]
    status: StepStatus = StepStatus.waiting
    acting_id: int | None = None  # a delegate deciding for the approver, or a stand-in once moved
    moved: Moved | None = None  # set: acting_id is a stand-in, whatever delegations say
    opened_at: datetime | None = None
    due_at: datetime | None = None
    next_nudge_at: datetime | None = None
    reminders_sent: int = 0
    escalated_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: int | None = None
    comment: str | None = None
    urged_at: datetime | None = None  # the requester's last 催办 (urge) on this step

    @property
    def decider_id(self) -> int:
        """Who is asked to decide now: the delegate when there is one, else the approver."""
        return self.acting_id if self.acting_id is not None else self.approver_id

    @property
    def on_behalf_of(self) -> int | None:
        if self.decided_by is not None and self.decided_by != self.approver_id:
            return self.approver_id
        return None


@dataclass(slots=True)
class Delegation:
    id: int
    person_id: int
    delegate_id: int
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    cancelled: bool = False

    def covers(self, at: datetime) -> bool:
        return not self.cancelled and self.starts_at <= at < self.ends_at


@dataclass(frozen=True, slots=True)
class DeciderChange:
    """An open step whose deciding person no longer follows the delegations: `acting_id` is who
    acts for the approver now (None: the approver decides)."""

    step: ApprovalStep
    acting_id: int | None


@dataclass(frozen=True, slots=True)
class NudgeClaim:
    """A reminder or an escalation recorded on a step, only if nobody did since `seen_nudge_at`."""

    step_id: int
    seen_nudge_at: datetime
    next_nudge_at: datetime | None
    reminded: bool
    escalated_at: datetime | None


@dataclass(slots=True)
class RequestView:
    """A request with everything needed to show it: its steps (all rounds) and the names."""

    request: ApprovalRequest
    steps: list[ApprovalStep]
    customer_name: str
    names: dict[int, str] = field(default_factory=dict)
    previous_customer_name: str | None = None  # set when the last round changed the customer
    application: dict[str, Any] | None = None  # a contract application: its lines and schedule
    credit: dict[str, Any] | None = None  # the customer's credit when not good (`with_credit`)
    invoice: dict[str, Any] | None = None  # an invoice: its contract's figures (`invoice_facts`)
    cc: tuple[int, ...] = ()  # whom the requester added to inform (抄送)

    def current_round(self) -> list[ApprovalStep]:
        return [s for s in self.steps if s.round == self.request.round]

    def open_step(self) -> ApprovalStep | None:
        return next((s for s in self.steps if s.status is StepStatus.pending), None)

    def returned_step(self) -> ApprovalStep | None:
        """The step that sent the request back, while it waits for its requester."""
        if self.request.status is not RequestStatus.returned:
            return None
        return next((s for s in self.current_round() if s.status is StepStatus.returned), None)


def money_str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class UrgeTooSoon(DomainError):
    """The requester urged this step less than the policy's interval ago; `again_at` (local)
    is when they may urge again."""

    code = "urge_too_soon"

    def __init__(self, again_at: datetime) -> None:
        super().__init__(again_at=again_at)
        self.again_at = again_at


def next_urge_at(last_urge: datetime | None, interval_minutes: int) -> datetime | None:
    """催办 (urge) is a nudge from the requester, not a deadline reminder: it may come once per
    interval per step, so a decider is not flooded. With a 60-minute interval, an urge at
    10:00 allows the next at 10:00 + 60 min = 11:00 exactly (None: never urged, urge now)."""
    return None if last_urge is None else last_urge + timedelta(minutes=interval_minutes)
