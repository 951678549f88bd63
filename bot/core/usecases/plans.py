"""Weekly plans: a rep drafts next week's key visits and goals, submits them by the due time,
the manager reviews; changes after submission are shown to the manager on resubmission."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bot.core.calendar import week_start
from bot.core.deals import clean_text
from bot.core.errors import DomainError, InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import line_above
from bot.core.plans import (
    GOALS_MAX,
    MAX_PLAN_ITEMS,
    PURPOSE_MAX,
    PlanItem,
    PlanStatus,
    WeeklyPlan,
    plan_changes,
    plan_due,
    plan_snapshot,
    planning_week,
)
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.customer_register import visible_customer
from bot.core.usecases.guards import active_person
from bot.core.usecases.targets import team_reps

EDITABLE = (PlanStatus.draft, PlanStatus.returned, PlanStatus.submitted, PlanStatus.approved)


def plan_ref(plan_id: int) -> str:
    return f"plan:{plan_id}"


async def my_plan(uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime) -> WeeklyPlan:
    """The actor's plan for the week being planned, created as an empty draft on first use."""
    actor = await active_person(uow, actor_id)
    week = planning_week(now, policy)
    plan = await uow.plans.for_week(actor.id, week)
    if plan is None:
        plan = await uow.plans.add(actor.id, week)
        await uow.commit()
    return plan


async def this_week_plan(
    uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime
) -> WeeklyPlan | None:
    """The actor's plan for the week under way (planned last week), to work from; None when
    there was none."""
    actor = await active_person(uow, actor_id)
    return await uow.plans.for_week(actor.id, week_start(now, policy))


async def _own_plan(uow: UnitOfWork, actor_id: int, plan_id: int) -> WeeklyPlan:
    plan = await uow.plans.get(plan_id)
    if plan is None or plan.rep_id != actor_id:
        raise NotFound(what="plan")
    return plan


async def _reopen(uow: UnitOfWork, plan: WeeklyPlan) -> None:
    """Changing a submitted plan makes it a draft again: it must be resubmitted to count."""
    if plan.status is not PlanStatus.draft:
        await uow.plans.save(replace(plan, status=PlanStatus.draft))


async def add_item(
    uow: UnitOfWork,
    *,
    actor_id: int,
    plan_id: int,
    customer_id: int,
    day: date,
    purpose: str,
) -> WeeklyPlan:
    plan = await _own_plan(uow, actor_id, plan_id)
    await visible_customer(uow, actor_id, customer_id)
    if not plan.week <= day < date.fromordinal(plan.week.toordinal() + 7):
        raise InvalidChange("day_outside_week")
    if len(plan.items) >= MAX_PLAN_ITEMS:
        raise InvalidChange("too_many_items")
    text = clean_text(purpose, limit=PURPOSE_MAX)
    await uow.plans.add_item(plan.id, customer_id=customer_id, day=day, purpose=text)
    await _reopen(uow, plan)
    await uow.commit()
    return await _own_plan(uow, actor_id, plan_id)


async def remove_item(uow: UnitOfWork, *, actor_id: int, plan_id: int, item_id: int) -> WeeklyPlan:
    plan = await _own_plan(uow, actor_id, plan_id)
    if item_id not in {i.id for i in plan.items}:
        raise NotFound(what="plan_item")
    await uow.plans.remove_item(plan.id, item_id)
    await _reopen(uow, plan)
    await uow.commit()
    return await _own_plan(uow, actor_id, plan_id)


async def set_goals(uow: UnitOfWork, *, actor_id: int, plan_id: int, goals: str) -> WeeklyPlan:
    plan = await _own_plan(uow, actor_id, plan_id)
    await uow.plans.save(replace(plan, goals=clean_text(goals, limit=GOALS_MAX)))
    await _reopen(uow, await _own_plan(uow, actor_id, plan_id))
    await uow.commit()
    return await _own_plan(uow, actor_id, plan_id)


def reviewer_of(rep: Person, people: dict[int, Person]) -> Person | None:
    """The plan goes to the rep's own manager (the first active one up the line)."""
    current = people.get(rep.reports_to) if rep.reports_to else None
    seen = {rep.id}
    while current is not None and not current.active and current.id not in seen:
        seen.add(current.id)
        current = people.get(current.reports_to) if current.reports_to else None
    return current


async def my_plan_items(
    uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime
) -> list[tuple[PlanItem, str]]:
    """The visits of the actor's own plan (`my_plan`), each with its customer's name."""
    plan = await my_plan(uow, actor_id=actor_id, policy=policy, now=now)
    names = await uow.customers.names({item.customer_id for item in plan.items})
    return [(item, names.get(item.customer_id, "—")) for item in plan.items]


async def plan_params(
    uow: UnitOfWork, plan: WeeklyPlan, policy: Policy, now: datetime | None = None
) -> dict[str, Any]:
    """What a plan's card or page shows. `late`: submitted after its due time, or (seen at
    `now`) still not submitted when it is past."""
    names = {p.id: p.full_name for p in await uow.people.all()}
    customers = await uow.customers.names({item.customer_id for item in plan.items})
    items = [
        {
            "day": item.day.isoformat(),
            "customer": customers.get(item.customer_id, "—"),
            "purpose": item.purpose,
        }
        for item in plan.items
    ]
    due = plan_due(plan.week, policy)
    handed_in = plan.submitted_at or now
    return {
        "late": handed_in is not None and handed_in > due,
        "plan_id": plan.id,
        "rep": names.get(plan.rep_id, "—"),
        "week": plan.week.isoformat(),
        "status": plan.status.value,
        "goals": plan.goals,
        "items": items,
        "due": plan_due(plan.week, policy).isoformat(),
        "comment": plan.comment,
        "reviewer": names.get(plan.reviewed_by) if plan.reviewed_by else None,
    }


async def submit(
    uow: UnitOfWork, *, actor_id: int, plan_id: int, policy: Policy, now: datetime
) -> WeeklyPlan:
    plan = await _own_plan(uow, actor_id, plan_id)
    if not plan.items and not plan.goals:
        raise InvalidChange("empty_plan")
    if plan.status in (PlanStatus.submitted, PlanStatus.approved):
        raise InvalidChange("already_submitted")  # an unchanged plan; a change reopens it
    snapshot = plan_snapshot(plan)
    changes = plan_changes(plan.last_submitted, snapshot)
    submitted = replace(
        plan, status=PlanStatus.submitted, submitted_at=now, last_submitted=snapshot, comment=None
    )
    await uow.plans.save(submitted)
    people = {p.id: p for p in await uow.people.all()}
    reviewer = reviewer_of(people[actor_id], people)
    if reviewer is not None:
        params = await plan_params(uow, submitted, policy, now)
        params["changes"] = _named_changes(changes, params)
        # A new card for every submission, so the manager's phone rings for a resubmission too.
        await uow.outbox.add(
            Notification(reviewer.id, "plan_card", params, ref=plan_ref(plan.id)), now
        )
    await uow.audit.add(AuditEntry("plan_submitted", actor_id, now, plan_ref(plan.id)))
    await uow.commit()
    return submitted


def _named_changes(changes: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    if not changes:
        return {}
    return {
        "added": len(changes["added"]),
        "removed": len(changes["removed"]),
        "goals_changed": changes["goals_changed"],
    }


REVIEW_ACTIONS = ("approve", "comment", "return")


def _review_refusal(
    plan: WeeklyPlan, people: dict[int, Person], actor_id: int
) -> DomainError | None:
    """The rep's own manager (`reviewer_of`) reviews a submitted plan, and so does a sales
    manager above them: in the seed the sales manager settles next week's visits at the
    Saturday meeting, for reps under a supervisor too."""
    reviewer = reviewer_of(people[plan.rep_id], people)
    managers_above = {
        p.id for p in line_above(plan.rep_id, people) if p.active and p.role is Role.sales_manager
    }
    if actor_id not in managers_above and (reviewer is None or reviewer.id != actor_id):
        return NotAllowed(action="review_plan")
    if plan.status is not PlanStatus.submitted:
        return InvalidChange("not_submitted")
    return None


async def reviewable(uow: UnitOfWork, actor_id: int, plan_id: int) -> WeeklyPlan:
    plan = await uow.plans.get(plan_id)
    if plan is None:
        raise NotFound(what="plan")
    refusal = _review_refusal(plan, {p.id: p for p in await uow.people.all()}, actor_id)
    if refusal is not None:
        raise refusal
    return plan


@dataclass(frozen=True)
class TeamWeek:
    """The week being planned and each rep of the manager's team with their plan, if any."""

    week: date
    plans: list[tuple[Person, WeeklyPlan | None]]


async def team_week(uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime) -> TeamWeek:
    """The plans of the manager's reps (`targets.team_reps`) for the week being planned."""
    reps = await team_reps(uow, actor_id)
    week = planning_week(now, policy)
    by_rep = {p.rep_id: p for p in await uow.plans.of_reps([r.id for r in reps], week)}
    return TeamWeek(week, [(rep, by_rep.get(rep.id)) for rep in reps])


@dataclass(frozen=True)
class PlanReview:
    """A team plan as its manager reads it; `reviewable` when it waits for their review."""

    params: dict[str, Any]
    reviewable: bool


async def review_view(
    uow: UnitOfWork, *, actor_id: int, plan_id: int, policy: Policy, now: datetime | None = None
) -> PlanReview:
    """A plan of one of the manager's reps; anyone else's plan is NotFound, not a leak."""
    plan = await uow.plans.get(plan_id)
    if plan is None or plan.rep_id not in {r.id for r in await team_reps(uow, actor_id)}:
        raise NotFound(what="plan")
    people = {p.id: p for p in await uow.people.all()}
    return PlanReview(
        await plan_params(uow, plan, policy, now), _review_refusal(plan, people, actor_id) is None
    )


async def review(
    uow: UnitOfWork,
    *,
    actor_id: int,
    plan_id: int,
    action: str,
    comment: str | None,
    policy: Policy,
    now: datetime,
) -> WeeklyPlan:
    """Approve, comment (the plan stays submitted) or return it with a reason."""
    await active_person(uow, actor_id)
    if action not in REVIEW_ACTIONS:
        raise NotAllowed(action="review_plan")  # only a forged button says anything else
    plan = await reviewable(uow, actor_id, plan_id)
    if action != "approve" and not (comment or "").strip():
        raise InvalidChange("reason_required")
    status = {"approve": PlanStatus.approved, "return": PlanStatus.returned}.get(
        action, plan.status
    )
    reviewed = replace(plan, status=status, reviewed_by=actor_id, reviewed_at=now, comment=comment)
    await uow.plans.save(reviewed)
    params = await plan_params(uow, reviewed, policy, now)
    params["action"] = action
    await uow.outbox.add(Notification(plan.rep_id, "plan_reviewed", params), now)
    await uow.outbox.add(
        Notification(actor_id, "plan_card", params, ref=plan_ref(plan.id), edit=True), now
    )
    await uow.audit.add(
        AuditEntry(f"plan_{action}", actor_id, now, plan_ref(plan.id), comment=comment)
    )
    await uow.commit()
    return reviewed
