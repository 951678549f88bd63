"""Monthly targets, assigned in writing and confirmed by the rep (seed: 销售任务书面下达并确认)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bot.core.errors import InvalidChange, NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import subtree_ids
from bot.core.plans import MonthlyTarget, target_months
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.roles import Role
from bot.core.usecases.guards import active_person


async def team_reps(uow: UnitOfWork, actor_id: int) -> list[Person]:
    actor = await active_person(uow, actor_id)
    if not actor.manages:
        raise NotAllowed(action="set_target")
    people = list(await uow.people.all())
    below = subtree_ids(actor.id, people) - {actor.id}
    return [p for p in people if p.id in below and p.active and p.role is Role.rep]


async def set_target(
    uow: UnitOfWork,
    *,
    actor_id: int,
    rep_id: int,
    month: date,
    sales: Decimal,
    collection: Decimal,
    policy: Policy,
    now: datetime,
) -> MonthlyTarget:
    if rep_id not in {p.id for p in await team_reps(uow, actor_id)}:
        raise NotFound(what="person")
    if sales <= 0 or collection < 0:
        raise InvalidChange("target_amounts")
    if month.replace(day=1) not in target_months(now, policy):
        raise InvalidChange("target_month")
    target = await uow.targets.set(
        rep_id=rep_id,
        month=month.replace(day=1),
        sales=sales,
        collection=collection,
        set_by=actor_id,
        now=now,
    )
    setter = await uow.people.get(actor_id)
    params = {
        "target_id": target.id,
        "month": target.month.isoformat()[:7],
        "sales": str(sales),
        "collection": str(collection),
        "by": setter.full_name if setter else "—",
    }
    await uow.outbox.add(Notification(rep_id, "target_set", params), now)
    await uow.audit.add(
        AuditEntry("target_set", actor_id, now, f"target:{target.id}", comment=str(sales))
    )
    await uow.commit()
    return target


async def confirm_target(
    uow: UnitOfWork, *, actor_id: int, target_id: int, now: datetime
) -> MonthlyTarget:
    target = await uow.targets.by_id(target_id)
    if target is None or target.rep_id != actor_id:
        raise NotFound(what="target")
    if not await uow.targets.confirm(target_id, now):
        raise InvalidChange("already_confirmed")
    rep = await active_person(uow, actor_id)
    params = {
        "rep": rep.full_name,
        "month": target.month.isoformat()[:7],
        "sales": str(target.sales),
    }
    await uow.outbox.add(Notification(target.set_by, "target_confirmed", params), now)
    await uow.audit.add(AuditEntry("target_confirmed", actor_id, now, f"target:{target_id}"))
    await uow.commit()
    confirmed = await uow.targets.by_id(target_id)
    return confirmed or target
