"""Work orders (派工单) for follow-on service (接续).

Seed, rule 10: the sales desk issues the work order, the sales manager signs it, customer
service does the work, and the acceptance report (接续验收报告) closes it; no follow-on work for
a customer whose first payment has not arrived."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.contracts import Contract, ContractNotInForce, ContractStatus
from bot.core.deals import clean_text
from bot.core.payments import Payment, check_first_payment
from bot.core.statuses import StatusOrder, step_needed

TASK_MAX = 500
ACCEPTANCE_MAX = 500


class WorkOrderStatus(StrEnum):
    filed = "filed"
    signed = "signed"  # by the sales manager
    assigned = "assigned"  # to a customer service person
    accepted = "accepted"  # the acceptance report is in


WS = WorkOrderStatus
FORWARD = (WS.filed, WS.signed, WS.assigned, WS.accepted)


@dataclass(frozen=True, slots=True)
class WorkOrder:
    id: int
    contract_id: int
    task: str
    status: WorkOrderStatus
    filed_by: int
    filed_at: datetime
    signed_by: int | None = None
    signed_at: datetime | None = None
    assignee_id: int | None = None  # customer service
    assigned_at: datetime | None = None
    accepted_at: datetime | None = None
    acceptance: str | None = None  # the acceptance report


class WorkOrderStatusOrder(StatusOrder):
    code = "work_order_status_order"


def check_work_order_move(status: WorkOrderStatus, to: WorkOrderStatus) -> None:
    ok, needs = step_needed(FORWARD, status, to)
    if not ok:
        over = status is WS.accepted
        raise WorkOrderStatusOrder(status, to, None if over else needs, over)


def check_work_order(
    contract: Contract, payments: Sequence[Payment], deposit_received: Decimal, task: str
) -> str:
    """A work order is filed for a contract in force (or closed: service goes on after the
    last payment) whose first payment arrived; the task as it will be kept."""
    if contract.status not in (ContractStatus.in_force, ContractStatus.closed):
        raise ContractNotInForce(contract.number, contract.status)
    check_first_payment(contract, payments, deposit_received)
    return clean_text(task, limit=TASK_MAX)


def _moved(order: WorkOrder, to: WorkOrderStatus) -> WorkOrder:
    check_work_order_move(order.status, to)
    return replace(order, status=to)


def sign_work_order(order: WorkOrder, *, by: int, now: datetime) -> WorkOrder:
    return replace(_moved(order, WS.signed), signed_by=by, signed_at=now)


def assign_work_order(order: WorkOrder, *, assignee_id: int, now: datetime) -> WorkOrder:
    return replace(_moved(order, WS.assigned), assignee_id=assignee_id, assigned_at=now)


def accept_work_order(order: WorkOrder, *, acceptance: str, now: datetime) -> WorkOrder:
    """Closed by the acceptance report, which is kept as written."""
    report = clean_text(acceptance, limit=ACCEPTANCE_MAX)
    return replace(_moved(order, WS.accepted), acceptance=report, accepted_at=now)
