"""Monthly targets, assigned in writing and confirmed by the rep (seed: 销售任务书面下达并确认)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.core.calendar import local
from bot.core.collection_analysis import month_window, received_by_owner
from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import subtree_ids
from bot.core.plans import MonthlyTarget, target_months
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.targets import (
    TargetNudgeClaim,
    TargetNudgeKind,
    TargetProgress,
    confirm_by,
    is_targeted,
    month_span,
    plan_target_nudge,
    progress_of,
    reminder_at,
)
from bot.core.usecases.collection_report import contracts_money
from bot.core.usecases.guards import active_person


async def team_reps(uow: UnitOfWork, actor_id: int) -> list[Person]:
    actor = await active_person(uow, actor_id)
    if not actor.manages:
        raise NotAllowed(action="set_target")
    people = list(await uow.people.all())
    below = subtree_ids(actor.id, people) - {actor.id}
    return [p for p in people if p.id in below and is_targeted(p)]


@dataclass(frozen=True, slots=True)
class TargetFigures:
    """What the manager asks for in a month: sales amount, units (0: none) and collection."""

    sales: Decimal
    quantity: Decimal
    collection: Decimal


async def set_target(
    uow: UnitOfWork,
    *,
    actor_id: int,
    rep_id: int,
    month: date,
    figures: TargetFigures,
    policy: Policy,
    now: datetime,
) -> MonthlyTarget:
    if rep_id not in {p.id for p in await team_reps(uow, actor_id)}:
        raise NotFound(what="person")
    if figures.sales <= 0 or figures.collection < 0 or figures.quantity < 0:
        raise InvalidChange("target_amounts")
    if month.replace(day=1) not in target_months(now, policy):
        raise InvalidChange("target_month")
    due = confirm_by(now, policy)
    target = await uow.targets.assign(
        MonthlyTarget(
            id=0,
            rep_id=rep_id,
            month=month.replace(day=1),
            sales=figures.sales,
            quantity=figures.quantity,
            collection=figures.collection,
            set_by=actor_id,
            set_at=now,
            confirm_by=due,
            next_nudge_at=reminder_at(due, policy),
        )
    )
    setter = await uow.people.get(actor_id)
    params = {**target_params(target), "by": setter.full_name if setter else "—"}
    await uow.outbox.add(Notification(rep_id, "target_set", params), now)
    await uow.audit.add(
        AuditEntry("target_set", actor_id, now, f"target:{target.id}", comment=str(figures.sales))
    )
    await uow.commit()
    return target


def target_params(target: MonthlyTarget) -> dict[str, Any]:
    """A target as its notifications show it (decimals as strings, moments as ISO text)."""
    return {
        "target_id": target.id,
        "month": target.month.isoformat()[:7],
        "sales": str(target.sales),
        "quantity": str(target.quantity),
        "collection": str(target.collection),
        "due": target.confirm_by.isoformat() if target.confirm_by else None,
    }


async def confirm_target(
    uow: UnitOfWork, *, actor_id: int, target_id: int, now: datetime
) -> MonthlyTarget:
    target = await uow.targets.by_id(target_id)
    if target is None or target.rep_id != actor_id:
        raise NotFound(what="target")
    if not await uow.targets.confirm(target_id, now):
        raise InvalidChange("already_confirmed")
    rep = await active_person(uow, actor_id)
    params = {**target_params(target), "rep": rep.full_name}
    await uow.outbox.add(Notification(target.set_by, "target_confirmed", params), now)
    await uow.audit.add(AuditEntry("target_confirmed", actor_id, now, f"target:{target_id}"))
    await uow.commit()
    confirmed = await uow.targets.by_id(target_id)
    return confirmed or target


async def my_progress(
    uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime
) -> list[TargetProgress]:
    """The rep's own targets for this month and the next, beside this month so far (one row,
    the shape of the team's)."""
    return await _progress(uow, [await active_person(uow, actor_id)], policy, now)


async def team_progress(
    uow: UnitOfWork, *, actor_id: int, policy: Policy, now: datetime
) -> list[TargetProgress]:
    """The same for every rep below the manager, read for the whole team at once."""
    return await _progress(uow, await team_reps(uow, actor_id), policy, now)


async def _progress(
    uow: UnitOfWork, reps: Sequence[Person], policy: Policy, now: datetime
) -> list[TargetProgress]:
    months = target_months(now, policy)
    ids = [rep.id for rep in reps]
    if not ids:
        return []
    found = await uow.targets.of_reps(ids, months)
    actuals = await uow.targets.actuals(ids, month_span(months[0], policy))
    window = month_window(months[0], local(now, policy).date())
    money = await contracts_money(uow, ids, window, policy)
    return progress_of(reps, found, actuals, months, received_by_owner(money, window))


async def sweep_targets(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """Remind reps of unconfirmed targets on the deadline's morning and tell the manager who
    set one at its deadline. Each nudge is claimed by its nudge time in the same transaction
    as its message, so a second run (or a second process) sends nothing twice."""
    planned = [(t, plan_target_nudge(t, now, policy)) for t in await uow.targets.due_for_nudge(now)]
    claims = [
        TargetNudgeClaim(target.id, seen, nudge.next_at)
        for target, nudge in planned
        if (seen := target.next_nudge_at) is not None
    ]
    claimed = await uow.targets.claim_nudges(claims)
    told = [
        (target, nudge.kind)
        for target, nudge in planned
        if target.id in claimed and nudge.kind is not TargetNudgeKind.postpone
    ]
    people = {p.id: p for p in await uow.people.by_ids({t.rep_id for t, _ in told})}
    messages = [
        _target_nudge(target, kind, people[target.rep_id])
        for target, kind in told
        if target.rep_id in people and people[target.rep_id].active
    ]
    await uow.outbox.add_many(messages, now)
    await uow.audit.add_many(
        [
            AuditEntry("target_unconfirmed", None, now, f"target:{target.id}")
            for target, kind in told
            if kind is TargetNudgeKind.overdue
        ]
    )
    await uow.commit()
    return len(messages)


def _target_nudge(target: MonthlyTarget, kind: TargetNudgeKind, rep: Person) -> Notification:
    params = {**target_params(target), "rep": rep.full_name}
    if kind is TargetNudgeKind.remind:
        return Notification(rep.id, "target_reminder", params)
    return Notification(target.set_by, "target_unconfirmed", params)
