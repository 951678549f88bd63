"""No dead ends: the steps of an approver who cannot answer go to someone who can.

An approver cannot answer when they are deactivated or, at a step's deadline, when the bot
cannot reach them (they blocked it: a 403 marks them `unreachable`). Their steps move to a
stand-in (`routing.stand_in`) who decides on their behalf, carried in `acting_id` like a
delegation, with `moved` saying why, so that no delegation takes the step back. The stand-in
gets the card and the requester is told; when nobody can stand in, the requester and the admins
are told instead. Whoever the bot could not reach gets their open cards again when they write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from bot.core.approvals import ApprovalStep, Moved, RequestView, StepStatus
from bot.core.calendar import step_due
from bot.core.models import AuditEntry, Notification, Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.routing import can_answer, stand_in
from bot.core.usecases.approval_views import (
    card_params,
    load_view,
    request_snapshot,
    with_credit,
)
from bot.core.usecases.approvals import first_nudge, status_ref, step_ref
from bot.core.usecases.team import switch_off


async def deactivate(
    uow: UnitOfWork, *, actor_id: int, person_id: int, policy: Policy, now: datetime
) -> Person:
    """Deactivate a person and, in the same transaction, move every step that waits on them:
    open ones and those still waiting their turn. (A step they decide only as someone's
    delegate goes back to its approver with the delegation, which drops an inactive delegate.)"""
    person = await switch_off(uow, actor_id=actor_id, person_id=person_id, now=now)
    steps = await uow.steps.waiting_on(person_id)
    people = {p.id: p for p in await uow.people.all()} if steps else {}
    for step in steps:
        await _pass_on(uow, step, Moved.deactivated, person, people, actor_id, policy, now)
    await uow.commit()
    return person


def left_hanging(step: ApprovalStep, decider: Person) -> bool:
    """The step waits on someone who cannot answer: its approver or stand-in. (A delegate's
    step stays with the delegation and is escalated as usual.)"""
    return (step.moved is not None or step.acting_id is None) and not can_answer(decider)


async def move_at_deadline(
    uow: UnitOfWork, step: ApprovalStep, decider: Person, *, policy: Policy, now: datetime
) -> int:
    """At its deadline a step left hanging moves instead of only escalating; how many
    messages that queued. The caller has claimed the deadline's nudge and commits."""
    why = Moved.deactivated if not decider.active else Moved.unreachable
    people = {p.id: p for p in await uow.people.all()}
    return await _pass_on(uow, step, why, decider, people, None, policy, now)


async def reachable_again(uow: UnitOfWork, *, person: Person, now: datetime) -> Person:
    """Someone the bot could not reach writes again: the mark clears and they get the cards of
    their open steps afresh, as new messages. Once: the mark is cleared by a conditional
    update, so of two quick updates only the first sends anything."""
    if not person.unreachable:
        return person
    back = replace(person, unreachable=False)
    if not await uow.people.claim_reachable(person.id):
        return back
    if person.active:
        for step in await uow.steps.open_for(person.id):
            view = await load_view(uow, step.request_id)
            card = card_params(view, step)
            await uow.outbox.add(
                Notification(person.id, "approval_card", card, ref=step_ref(step.id)), now
            )
    await uow.commit()
    return back


async def _pass_on(
    uow: UnitOfWork,
    step: ApprovalStep,
    why: Moved,
    gone: Person,
    people: Mapping[int, Person],
    actor_id: int | None,
    policy: Policy,
    now: datetime,
) -> int:
    view = await load_view(uow, step.request_id)
    heir = stand_in(step.approver_id, view.request.requester_id, people)
    if heir is None:
        return await _stranded(uow, view, step, why, gone, people, actor_id, now)
    moved = replace(step, acting_id=heir.id, moved=step.moved or why)
    if step.status is StepStatus.pending:
        # The stand-in gets a deadline of their own, counted from now like any opened step.
        due = step_due(now, policy)
        moved = replace(
            moved,
            due_at=due,
            next_nudge_at=first_nudge(now, due, policy),
            reminders_sent=0,
            escalated_at=None,
        )
    await uow.steps.save(moved)
    queued = await _tell_moved(uow, moved, why, gone, policy, now)
    whose = "stand-in" if step.moved else "approver"
    await uow.audit.add(
        AuditEntry(
            "moved",
            actor_id,
            now,
            f"request:{step.request_id}",
            comment=f"{whose} {why.value}: step:{step.id} to person:{heir.id}",
        )
    )
    return queued


async def _tell_moved(
    uow: UnitOfWork, step: ApprovalStep, why: Moved, gone: Person, policy: Policy, now: datetime
) -> int:
    found = await load_view(uow, step.request_id)
    view = (await with_credit(uow, {found.request.id: found}, now, policy))[found.request.id]
    params = card_params(view, step)
    requester = view.request.requester_id
    ref = status_ref(view.request.id)
    messages = [
        Notification(requester, "step_moved", {**params, "why": why.value, "gone": gone.full_name}),
        Notification(requester, "request_status", request_snapshot(view), ref=ref, edit=True),
    ]
    if step.status is StepStatus.pending:
        messages.append(
            Notification(step.decider_id, "approval_card", params, ref=step_ref(step.id))
        )
    for message in messages:
        await uow.outbox.add(message, now)
    return len(messages)


async def _stranded(
    uow: UnitOfWork,
    view: RequestView,
    step: ApprovalStep,
    why: Moved,
    gone: Person,
    people: Mapping[int, Person],
    actor_id: int | None,
    now: datetime,
) -> int:
    """Nobody above can stand in: the step stays, and the requester and the admins hear why,
    so that someone acts (an admin reactivates or reaches the person; the requester may
    withdraw and file again) instead of the request waiting silently."""
    params = {**card_params(view, step), "why": why.value, "gone": gone.full_name}
    admins = {p.id for p in people.values() if p.is_admin and p.active}
    told = sorted({view.request.requester_id} | admins)
    for person_id in told:
        await uow.outbox.add(Notification(person_id, "step_stranded", params), now)
    await uow.audit.add(
        AuditEntry(
            "stranded",
            actor_id,
            now,
            f"request:{step.request_id}",
            comment=f"{why.value}, nobody above: step:{step.id}",
        )
    )
    return len(told)
