"""The deadline sweep and the morning digest. Both are idempotent: every nudge is claimed with a
conditional update (or a digest row) in the same transaction as the message it causes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.approvals import ApprovalStep
from bot.core.calendar import in_quiet_hours, local, next_nudge_time
from bot.core.models import AuditEntry, Notification
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.approval_views import card_params, load_view
from bot.core.usecases.delegation import follow_delegations
from bot.core.usecases.reassign import left_hanging, move_at_deadline


class NudgeKind(StrEnum):
    remind = "remind"
    escalate = "escalate"
    postpone = "postpone"


@dataclass(frozen=True, slots=True)
class Nudge:
    kind: NudgeKind
    next_at: datetime | None
    # Every reminder to the approver counts against the budget, the one at the deadline too.
    remind_approver: bool = field(default=False, compare=False)


def plan_nudge(step: ApprovalStep, now: datetime, policy: Policy) -> Nudge:
    """What a due step needs now. Nothing is sent in quiet hours or on days off: the nudge waits
    for the next working morning. At the deadline the approver's manager and the requester are
    told once; the approver's reminders, the one at the deadline included, stop when the
    policy's budget (max_reminders) is spent."""
    rules = policy.deadlines
    if in_quiet_hours(now, policy):
        return Nudge(NudgeKind.postpone, next_nudge_time(now, policy))
    due = step.due_at or now
    interval = timedelta(minutes=max(rules.remind_before_minutes, 30))
    budget_left = step.reminders_sent < rules.max_reminders
    spent_after_this = step.reminders_sent + 1 >= rules.max_reminders
    if now >= due and step.escalated_at is None:
        again = budget_left and not spent_after_this
        after = next_nudge_time(now + interval, policy) if again else None
        return Nudge(NudgeKind.escalate, after, remind_approver=budget_left)
    if not budget_left:
        return Nudge(NudgeKind.postpone, None)
    if now < due:
        return Nudge(NudgeKind.remind, due, remind_approver=True)
    later = None if spent_after_this else next_nudge_time(now + interval, policy)
    return Nudge(NudgeKind.remind, later, remind_approver=True)


async def sweep_deadlines(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """Remind and escalate what is due; returns how many messages it queued."""
    queued = await follow_delegations(uow, now=now)
    for step in await uow.steps.due_for_nudge(now):
        queued += await _nudge(uow, step, policy, now)
    await uow.commit()
    return queued


async def _nudge(uow: UnitOfWork, step: ApprovalStep, policy: Policy, now: datetime) -> int:
    if step.next_nudge_at is None:
        return 0
    plan = plan_nudge(step, now, policy)
    claimed = await uow.steps.claim_nudge(
        step.id,
        seen_nudge_at=step.next_nudge_at,
        next_nudge_at=plan.next_at,
        reminded=plan.remind_approver,
        escalated_at=now if plan.kind is NudgeKind.escalate else None,
    )
    if not claimed or plan.kind is NudgeKind.postpone:
        return 0
    view = await load_view(uow, step.request_id)
    params = card_params(view, step)
    if plan.kind is NudgeKind.remind:
        await uow.outbox.add(Notification(step.decider_id, "step_reminder", params), now)
        return 1
    decider = await uow.people.get(step.decider_id)
    if decider is not None and left_hanging(step, decider):
        return await move_at_deadline(uow, step, decider, policy=policy, now=now)
    # A moved step is its stand-in's to answer for: their manager hears of it.
    approver = decider if step.moved else await uow.people.get(step.approver_id)
    told = {view.request.requester_id}
    if approver is not None and approver.reports_to is not None:
        told.add(approver.reports_to)
    for person_id in sorted(told - {step.decider_id}):
        await uow.outbox.add(Notification(person_id, "step_overdue", params), now)
    if plan.remind_approver:
        await uow.outbox.add(Notification(step.decider_id, "step_reminder", params), now)
    await uow.audit.add(
        AuditEntry("escalated", None, now, f"request:{step.request_id}", comment=f"step:{step.id}")
    )
    return len(told - {step.decider_id}) + int(plan.remind_approver)


async def send_digests(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """One morning message per person with pending approvals, never one per item."""
    day = local(now, policy).date()
    sent = 0
    for person_id in await uow.steps.open_deciders():
        steps = await uow.steps.open_for(person_id)
        if not steps or not await uow.digests.claim(person_id, "approvals", day):
            continue
        items = []
        for step in steps:
            view = await load_view(uow, step.request_id)
            items.append(card_params(view, step))
        await uow.outbox.add(
            Notification(person_id, "approvals_digest", {"items": items, "now": now.isoformat()}),
            now,
        )
        sent += 1
    await uow.commit()
    return sent
