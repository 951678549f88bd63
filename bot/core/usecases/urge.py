"""催办 (urge): the requester nudges whoever decides their request's open step now."""

from __future__ import annotations

from datetime import datetime

from bot.core.approvals import ApprovalStep, RequestStatus, UrgeTooSoon, next_urge_at
from bot.core.calendar import local
from bot.core.errors import NotAllowed
from bot.core.models import AuditEntry, Notification
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.approval_views import headline_params
from bot.core.usecases.approvals import own_request


def _too_soon(step: ApprovalStep, policy: Policy, now: datetime) -> UrgeTooSoon | None:
    again = next_urge_at(step.urged_at, policy.deadlines.urge_interval_minutes)
    return UrgeTooSoon(local(again, policy)) if again is not None and now < again else None


async def urge(
    uow: UnitOfWork, *, request_id: int, actor_id: int, policy: Policy, now: datetime
) -> str:
    """Only the requester urges, while a step is open, once per `urge_interval_minutes` of
    that step, and is told whom it reached; the urge is claimed on the step (compare-and-set), so two taps send one
    message, and it leaves the step's reminders and deadline as they were."""
    view = await own_request(uow, actor_id, request_id)
    step = view.open_step()
    if view.request.status is not RequestStatus.pending or step is None:
        raise NotAllowed(action="urge")
    refused = _too_soon(step, policy, now)
    if refused is not None:
        raise refused
    if not await uow.steps.claim_urge(step.id, seen=step.urged_at, now=now):
        fresh = await uow.steps.get(step.id)
        raise (fresh and _too_soon(fresh, policy, now)) or NotAllowed(action="urge")
    params = {**headline_params(view, step), "urged_by": view.names.get(actor_id, "—")}
    await uow.outbox.add(Notification(step.decider_id, "step_urged", params), now)
    await uow.audit.add(AuditEntry("urged", actor_id, now, f"request:{request_id}"))
    await uow.commit()
    return view.names.get(step.decider_id, "—")
