"""The weekly rhythm's clock work: plan reminders, the missing-plans list at the due time, the
manager's one message before the Saturday meeting, and the evening work-log prompt. Each is
claimed per person and period, so a second run sends nothing twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from bot.core.calendar import local
from bot.core.models import Notification, Person
from bot.core.org import subtree_ids
from bot.core.plans import plan_due, planning_week
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases import meeting
from bot.core.usecases.plans import reviewer_of


async def _reps(uow: UnitOfWork) -> tuple[list[Person], dict[int, Person]]:
    people = {p.id: p for p in await uow.people.all()}
    return [p for p in people.values() if p.active and p.role is Role.rep], people


async def remind_plans(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    week = planning_week(now, policy)
    reps, _people = await _reps(uow)
    plans = {p.rep_id: p for p in await uow.plans.of_reps([r.id for r in reps], week)}
    sent = 0
    for rep in reps:
        plan = plans.get(rep.id)
        if plan is not None and plan.submitted:
            continue
        if await uow.digests.claim(rep.id, "plan_reminder", week):
            params = {"week": week.isoformat(), "due": plan_due(week, policy).isoformat()}
            await uow.outbox.add(Notification(rep.id, "plan_reminder", params), now)
            sent += 1
    await uow.commit()
    return sent


async def report_missing_plans(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """At the due time each manager learns whose plan is missing."""
    week = planning_week(now, policy)
    reps, people = await _reps(uow)
    plans = {p.rep_id: p for p in await uow.plans.of_reps([r.id for r in reps], week)}
    missing: dict[int, list[str]] = defaultdict(list)
    for rep in reps:
        plan = plans.get(rep.id)
        reviewer = reviewer_of(rep, people)
        if reviewer is not None and (plan is None or not plan.submitted):
            missing[reviewer.id].append(rep.full_name)
    sent = 0
    for reviewer_id, names in missing.items():
        if await uow.digests.claim(reviewer_id, "plans_missing", week):
            params = {"week": week.isoformat(), "names": sorted(names)}
            await uow.outbox.add(Notification(reviewer_id, "plans_missing", params), now)
            sent += 1
    await uow.commit()
    return sent


def _summary_recipients(reps: list[Person], people: dict[int, Person]) -> dict[int, list[Person]]:
    """Seed: the sales manager runs the weekly meeting. Each rep appears in the summary of the
    sales managers above them; a rep with none above goes to their own manager's."""
    managers = [p for p in people.values() if p.active and p.role is Role.sales_manager]
    everyone = list(people.values())
    subtrees = {m.id: subtree_ids(m.id, everyone) for m in managers}
    by_recipient: dict[int, list[Person]] = defaultdict(list)
    for rep in reps:
        above = [m for m in managers if rep.id in subtrees[m.id]]
        if not above:
            reviewer = reviewer_of(rep, people)
            above = [reviewer] if reviewer is not None else []
        for recipient in above:
            by_recipient[recipient.id].append(rep)
    return by_recipient


async def send_meeting_summaries(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """One message per manager before the meeting: the team's headline, a line per rep (next
    week's plan submitted, late or missing; this week's plan versus actual; open deals;
    overdue money) and the training topic; the full pack is a PDF one tap away. Everyone's
    part is read at once (`meeting.rep_packs`), then each manager's message is claimed."""
    week = planning_week(now, policy)
    reps, people = await _reps(uow)
    recipients = _summary_recipients(reps, people)
    packs = await meeting.rep_packs(uow, reps, week, policy, now) if recipients else {}
    topics = await uow.meeting_topics.of_week(week) if recipients else {}
    sent = 0
    for recipient_id, team in recipients.items():
        if not await uow.digests.claim(recipient_id, "meeting", week):
            continue
        topic = meeting.topic_for(recipient_id, topics, people)
        pack = meeting.assemble(people[recipient_id], team, packs, week, topic, policy)
        params = meeting.summary_params(pack)
        await uow.outbox.add(Notification(recipient_id, "meeting_summary", params), now)
        sent += 1
    await uow.commit()
    return sent


async def evening_prompts(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """A rep with no visit logged today gets one prompt (the policy can switch it off)."""
    if policy.reminders.evening_prompt is None:
        return 0
    today = local(now, policy).date()
    reps, _people = await _reps(uow)
    sent = 0
    for rep in reps:
        if await uow.visits.by_rep_between(rep.id, today, today):
            continue
        if await uow.digests.claim(rep.id, "evening", today):
            await uow.outbox.add(
                Notification(rep.id, "evening_prompt", {"day": today.isoformat()}), now
            )
            sent += 1
    await uow.commit()
    return sent
