"""The deadline sweep and the morning digest. Both are idempotent: every nudge is claimed with a
conditional update (or a digest row) in the same transaction as the message it causes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.core.approvals import ApprovalStep, NudgeClaim, RequestView
from bot.core.calendar import in_quiet_hours, local, next_nudge_time
from bot.core.models import AuditEntry, Notification
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases.approval_views import headline_params, headline_views
from bot.core.usecases.delegation import follow_delegations
from bot.core.usecases.reassign import left_hanging, move_at_deadline

DIGEST_BATCH = 5_000  # open steps per batch of digest queries


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
    queued = await follow_delegations(uow, policy=policy, now=now)
    queued += await _nudge_due(uow, policy, now)
    await uow.commit()
    return queued


async def _nudge_due(uow: UnitOfWork, policy: Policy, now: datetime) -> int:
    """All due steps are claimed in one go and their views loaded in one batch: the work grows
    with what is due, never with what is open."""
    planned = [(step, plan_nudge(step, now, policy)) for step in await uow.steps.due_for_nudge(now)]
    claimed = await uow.steps.claim_nudges(_claims(planned, now))
    told = [
        (step, plan)
        for step, plan in planned
        if step.id in claimed and plan.kind is not NudgeKind.postpone
    ]
    escalated = [step for step, plan in told if plan.kind is NudgeKind.escalate]
    people = {
        p.id: p
        for p in await uow.people.by_ids(
            {s.approver_id for s in escalated} | {s.decider_id for s in escalated}
        )
    }
    # At its deadline a step whose approver or stand-in cannot answer moves on instead.
    hanging = [
        step
        for step in escalated
        if (decider := people.get(step.decider_id)) is not None and left_hanging(step, decider)
    ]
    queued = 0
    for step in hanging:
        queued += await move_at_deadline(uow, step, people[step.decider_id], policy=policy, now=now)
    gone = {step.id for step in hanging}
    told = [(step, plan) for step, plan in told if step.id not in gone]
    views = await headline_views(uow, [step for step, _ in told])
    messages = []
    for step, plan in told:
        # A moved step is its stand-in's to answer for: their manager hears of it.
        answerable = people.get(step.decider_id if step.moved else step.approver_id)
        manager_id = answerable.reports_to if answerable is not None else None
        messages += _nudges(step, plan, views[step.request_id], manager_id, now)
    await uow.outbox.add_many(messages, now)
    await uow.audit.add_many([_escalation(s, now) for s in escalated if s.id not in gone])
    return queued + len(messages)


def _claims(planned: list[tuple[ApprovalStep, Nudge]], now: datetime) -> list[NudgeClaim]:
    return [
        NudgeClaim(
            step.id,
            seen_nudge_at=seen,
            next_nudge_at=plan.next_at,
            reminded=plan.remind_approver,
            escalated_at=now if plan.kind is NudgeKind.escalate else None,
        )
        for step, plan in planned
        if (seen := step.next_nudge_at) is not None
    ]


def _nudges(
    step: ApprovalStep, plan: Nudge, view: RequestView, manager_id: int | None, now: datetime
) -> list[Notification]:
    """A reminder goes to the decider; at the deadline the requester and the approver's
    manager are told (not the decider twice), and the decider reminded if the budget allows.
    A reminder at or after the deadline says it is overdue, not "due at"."""
    params = headline_params(view, step)
    late = step.due_at is not None and step.due_at <= now
    reminder = [Notification(step.decider_id, "step_reminder", {**params, "late": late})]
    if plan.kind is NudgeKind.remind:
        return reminder
    told = {view.request.requester_id} | ({manager_id} if manager_id is not None else set())
    overdue = [
        Notification(person_id, "step_overdue", params)
        for person_id in sorted(told - {step.decider_id})
    ]
    return overdue + (reminder if plan.remind_approver else [])


def _escalation(step: ApprovalStep, now: datetime) -> AuditEntry:
    return AuditEntry(
        "escalated", None, now, f"request:{step.request_id}", comment=f"step:{step.id}"
    )


async def send_digests(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """One morning message per person with pending approvals, never one per item. Deciders are
    taken in batches of about DIGEST_BATCH open steps, each batch in a few queries, so memory
    stays bounded however long the queues are."""
    day = local(now, policy).date()
    sent = 0
    for deciders in _batches(await uow.steps.open_deciders()):
        sent += await _digest_batch(uow, deciders, day, now)
    await uow.commit()
    return sent


def _batches(open_steps: dict[int, int]) -> list[list[int]]:
    """Deciders in order, cut where a batch would exceed DIGEST_BATCH open steps (a person
    with more has a batch alone)."""
    batches: list[list[int]] = [[]]
    size = 0
    for person_id, count in open_steps.items():
        if batches[-1] and size + count > DIGEST_BATCH:
            batches.append([])
            size = 0
        batches[-1].append(person_id)
        size += count
    return [batch for batch in batches if batch]


async def _digest_batch(uow: UnitOfWork, deciders: list[int], day: date, now: datetime) -> int:
    waiting: dict[int, list[ApprovalStep]] = {}
    for step in await uow.steps.open_for_deciders(deciders):
        waiting.setdefault(step.decider_id, []).append(step)
    claimed = await uow.digests.claim_many(list(waiting), "approvals", day)
    views = await headline_views(uow, [step for p in claimed for step in waiting[p]])
    digests = [
        Notification(
            person_id,
            "approvals_digest",
            {
                "items": [headline_params(views[s.request_id], s) for s in waiting[person_id]],
                "now": now.isoformat(),
            },
        )
        for person_id in sorted(claimed)
    ]
    await uow.outbox.add_many(digests, now)
    return len(digests)
