"""转交 (transfer): whoever decides a step now hands it to another person allowed to decide it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.approvals import ApprovalStep, Moved
from bot.core.errors import InvalidChange, NotAllowed, ReasonRequired
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import line_above
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.routing import may_decide_for
from bot.core.usecases.approval_views import card_params, load_view, request_snapshot
from bot.core.usecases.approvals import ensure_decider, status_ref, step_ref

REASON_MAX = 300


def _allowed(
    candidate: Person, step: ApprovalStep, kind: str, above: set[int], policy: Policy
) -> bool:
    """Who may take a step over: an active colleague in the step's own role, or someone up the
    approver's line whose role the kind's approval order trusts with the step (as a delegate).
    A supervisor's special terms go to a peer supervisor or to her sales manager; never down,
    never sideways to a role the order does not trust."""
    same_role = candidate.role is step.role
    trusted_above = candidate.id in above and may_decide_for(
        candidate.role, step.role, policy, (kind,)
    )
    return candidate.active and (same_role or trusted_above)


def checked_reason(reason: str) -> str:
    """Why a step moves (a transfer, an added reviewer): required, and at most REASON_MAX."""
    reason = reason.strip()
    if not reason:
        raise ReasonRequired()
    if len(reason) > REASON_MAX:
        raise InvalidChange(reason="too_long")
    return reason


async def _candidates(
    uow: UnitOfWork, step: ApprovalStep, actor_id: int, policy: Policy
) -> list[Person]:
    view = await load_view(uow, step.request_id)
    people = {p.id: p for p in await uow.people.all()}
    above = {p.id for p in line_above(step.approver_id, people)}
    ruled_out = {actor_id, view.request.requester_id, step.decider_id}
    return [
        p
        for p in people.values()
        if p.id not in ruled_out and _allowed(p, step, view.request.kind, above, policy)
    ]


async def transfer_candidates(
    uow: UnitOfWork, *, step_id: int, actor_id: int, policy: Policy, now: datetime
) -> list[Person]:
    """The people the actor may hand this step to, if the actor decides it now."""
    step = await ensure_decider(uow, step_id=step_id, actor_id=actor_id, policy=policy, now=now)
    return await _candidates(uow, step, actor_id, policy)


async def transfer(
    uow: UnitOfWork,
    *,
    step_id: int,
    actor_id: int,
    to_id: int,
    reason: str,
    policy: Policy,
    now: datetime,
) -> ApprovalStep:
    """The step moves to `to_id`, who decides it from now on (its deadline stays): still one
    open step. The move is claimed on the step (compare-and-set on who acts), so a decision
    or another transfer at the same moment leaves only one of them done."""
    step = await ensure_decider(uow, step_id=step_id, actor_id=actor_id, policy=policy, now=now)
    reason = checked_reason(reason)
    if to_id not in {p.id for p in await _candidates(uow, step, actor_id, policy)}:
        raise NotAllowed(action="transfer_to")
    if not await uow.steps.claim_transfer(step.id, seen_acting=step.acting_id, to_id=to_id):
        raise NotAllowed(action="decide")  # decided or handed on meanwhile
    moved = replace(step, acting_id=to_id, moved=Moved.transferred)
    await _tell(uow, step, moved, actor_id, reason, now)
    await uow.audit.add(
        AuditEntry(
            "transferred",
            actor_id,
            now,
            f"request:{step.request_id}",
            comment=f"step:{step.id} to person:{to_id}: {reason}",
        )
    )
    await uow.commit()
    return moved


async def _tell(
    uow: UnitOfWork,
    before: ApprovalStep,
    moved: ApprovalStep,
    actor_id: int,
    reason: str,
    now: datetime,
) -> None:
    view = await load_view(uow, moved.request_id)
    names = view.names | {p.id: p.full_name for p in await uow.people.by_ids([actor_id])}
    note = {
        "by": names.get(actor_id, "—"),
        "to": names.get(moved.decider_id, "—"),
        "reason": reason,
    }
    params = card_params(view, moved)
    ref = step_ref(moved.id)
    requester = view.request.requester_id
    messages = [
        Notification(
            before.decider_id,
            "approval_card",
            {**params, "transfer": note, "handed_over": True},
            ref=ref,
            edit=True,
            edit_only=True,
        ),
        Notification(moved.decider_id, "approval_card", {**params, "transfer": note}, ref=ref),
        Notification(requester, "step_moved", {**params, "why": "transferred", "transfer": note}),
        Notification(
            requester,
            "request_status",
            request_snapshot(view),
            ref=status_ref(view.request.id),
            edit=True,
        ),
    ]
    for message in messages:
        await uow.outbox.add(message, now)
