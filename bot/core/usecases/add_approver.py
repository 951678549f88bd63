"""加签 (add an approver): whoever decides a step now asks a colleague to review the request
before them or after them: one step inserted into this request's current round only."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.core.approvals import ApprovalStep, StepStatus
from bot.core.errors import InvalidChange, NotAllowed
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.approval_views import (
    card_params,
    load_view,
    request_snapshot,
    with_credit,
)
from bot.core.usecases.approvals import ensure_decider, open_step, status_ref, step_ref
from bot.core.usecases.transfer import checked_reason

# Added reviewers per round: a request asked around without end would never be decided.
MAX_ADDED = 3
# Who may be asked to review: the roles that decide or check requests, never a rep.
REVIEWERS = frozenset(
    {
        Role.supervisor,
        Role.sales_manager,
        Role.marketing_vp,
        Role.general_manager,
        Role.finance_vp,
        Role.accountant,
        Role.sales_desk,
    }
)


class Placement(StrEnum):
    before = "before"  # the added reviewer decides first, then the step comes back
    after = "after"  # the decider decides, then the added reviewer


def _undecided(steps: list[ApprovalStep]) -> set[int]:
    open_ = (StepStatus.pending, StepStatus.waiting)
    return {i for s in steps if s.status in open_ for i in (s.approver_id, s.decider_id)}


async def _candidates(uow: UnitOfWork, step: ApprovalStep, actor_id: int) -> list[Person]:
    """Active colleagues in a reviewing role who have no undecided step in this round: a
    person already on the way up is asked there, not twice."""
    view = await load_view(uow, step.request_id)
    busy = _undecided(view.current_round()) | {actor_id, view.request.requester_id}
    people = await uow.people.all()
    return [p for p in people if p.active and p.role in REVIEWERS and p.id not in busy]


async def add_candidates(
    uow: UnitOfWork, *, step_id: int, actor_id: int, policy: Policy, now: datetime
) -> list[Person]:
    """The people the actor may add as a reviewer of this step, if the actor decides it now."""
    step = await ensure_decider(uow, step_id=step_id, actor_id=actor_id, policy=policy, now=now)
    return await _candidates(uow, step, actor_id)


async def add_approver(
    uow: UnitOfWork,
    *,
    step_id: int,
    actor_id: int,
    person_id: int,
    placement: Placement,
    reason: str,
    policy: Policy,
    now: datetime,
) -> ApprovalStep:
    """Insert the added reviewer's step next to the actor's. Before: the actor's step waits
    (its deadline cleared) and the reviewer's opens now; the actor decides when it is approved.
    After: the actor still decides now, and the reviewer's step opens when they approve. The
    actor's step is claimed first, so a decision, a transfer or another 加签 at the same moment
    leaves only one of them done: there is always exactly one open step."""
    step = await ensure_decider(uow, step_id=step_id, actor_id=actor_id, policy=policy, now=now)
    reason = checked_reason(reason)
    view = await load_view(uow, step.request_id)
    added = [s for s in view.current_round() if s.reason.get("kind") == "added"]
    if len(added) >= MAX_ADDED:
        raise InvalidChange(reason="too_many_added")
    reviewer = next((p for p in await _candidates(uow, step, actor_id) if p.id == person_id), None)
    if reviewer is None:
        raise NotAllowed(action="add_approver")
    before = placement is Placement.before
    if not await uow.steps.claim_add_approver(step.id, seen_acting=step.acting_id, hold=before):
        raise NotAllowed(action="decide")  # decided or handed on meanwhile
    position = step.position if before else step.position + 1
    await uow.steps.make_room(step.request_id, step.round, position)
    new = await uow.steps.add(
        ApprovalStep(
            id=0,
            request_id=step.request_id,
            round=step.round,
            position=position,
            role=reviewer.role,
            approver_id=reviewer.id,
            reason={
                "kind": "added",
                "value": placement.value,
                "limit": None,
                "by": str(actor_id),
                "note": reason,
            },
        )
    )
    if before:
        new = await open_step(uow, new, view.request.kind, policy, now)
    await _tell(uow, step, new, before, policy, now)
    await uow.audit.add(
        AuditEntry(
            "approver_added",
            actor_id,
            now,
            f"request:{step.request_id}",
            comment=f"step:{step.id} {placement.value} person:{reviewer.id}: {reason}",
        )
    )
    await uow.commit()
    return new


async def _tell(
    uow: UnitOfWork,
    step: ApprovalStep,
    new: ApprovalStep,
    before: bool,
    policy: Policy,
    now: datetime,
) -> None:
    """Before: the actor's card loses its buttons and says who reviews first, the reviewer gets
    the card. After: the actor's card (still live) says who reviews next. The requester hears
    either way, and their status message shows the longer chain."""
    view = await load_view(uow, step.request_id)
    view = (await with_credit(uow, {view.request.id: view}, now, policy))[view.request.id]
    mine = next(s for s in view.steps if s.id == step.id)
    names = view.names | {p.id: p.full_name for p in await uow.people.by_ids([new.approver_id])}
    note = {
        "by": names.get(step.decider_id, "—"),
        "to": names.get(new.approver_id, "—"),
        "reason": str(new.reason["note"]),
        "placement": str(new.reason["value"]),
    }
    params = {**card_params(view, mine), "added": note}
    messages = [
        Notification(
            recipient,
            "approval_card",
            {**params, "handed_over": before},
            ref=step_ref(step.id),
            edit=True,
            edit_only=True,
        )
        for recipient in {step.approver_id, step.decider_id}
    ]
    if before:
        messages.append(
            Notification(
                new.decider_id,
                "approval_card",
                card_params(view, new),
                ref=step_ref(new.id),
                edit=True,
            )
        )
    requester = view.request.requester_id
    messages += [
        Notification(requester, "step_moved", {**params, "why": "added"}),
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
