"""The customer pool's daily sweep: owners warned once per idle spell, idle customers returned
to the pool, owners and their supervisors told. The rules are in bot/core/pool.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from bot.core.calendar import at_local, local
from bot.core.customers import Customer, CustomerEvent
from bot.core.models import Notification, Person
from bot.core.policy import Policy
from bot.core.pool import (
    RETURNED,
    PoolStage,
    announced_day,
    idle_since,
    last_activity,
    pool_stage,
    return_day,
)
from bot.core.ports import UnitOfWork
from bot.core.usecases.customer_register import register_keeper

LISTED_IN_NOTICE = 8  # per list in the owner's message: 16 names of 100 emoji fit 4,096


def day_start(day: date, policy: Policy) -> datetime:
    return at_local(day, time(0), policy)


async def sweep_pool(uow: UnitOfWork, *, policy: Policy, now: datetime) -> int:
    """The daily pool sweep: warns each owner once per idle spell and returns the customers
    whose return day has come, one message per owner. The candidates are read in one indexed
    query; the moves are compare-and-set, so a visit logged meanwhile keeps the customer, and
    a second run finds nothing left to warn or move. Returns the messages queued."""
    pool = policy.pool
    if not pool.enabled:
        return 0
    today = local(now, policy).date()
    last_day = idle_since(today, pool.idle_days - pool.warn_days_before)
    candidates = await uow.pool.idle(last_day, day_start(last_day + timedelta(days=1), policy))
    stages = {c.id: pool_stage(c, today, pool, policy.tz) for c in candidates}
    returned = await _return(
        uow, [c for c in candidates if stages[c.id] is PoolStage.returns], today, policy, now
    )
    warned = await _warn(
        uow, [c for c in candidates if stages[c.id] is PoolStage.warn], today, policy
    )
    return await _tell_owners(uow, returned, warned, policy, now)


async def _return(
    uow: UnitOfWork, due: list[Customer], today: date, policy: Policy, now: datetime
) -> list[Customer]:
    last_day = idle_since(today, policy.pool.idle_days)
    bound = day_start(last_day + timedelta(days=1), policy)
    warned_by = today if policy.pool.warn_days_before else None
    moved = await uow.pool.to_pool([c.id for c in due], last_day, bound, now, warned_by=warned_by)
    returned = [c for c in due if c.id in moved]
    await uow.customer_events.add_many(
        [CustomerEvent(c.id, RETURNED, None, now, comment=f"from:{c.owner_id}") for c in returned]
    )
    return returned


async def _warn(
    uow: UnitOfWork, due: list[Customer], today: date, policy: Policy
) -> list[Customer]:
    days = {c.id: announced_day(c, today, policy.pool, policy.tz) for c in due}
    claimed = await uow.pool.claim_warnings(days)
    return [replace(c, pool_warned_for=days[c.id]) for c in due if c.id in claimed]


def notice_list(customers: Sequence[Customer], policy: Policy) -> dict[str, object]:
    shown = customers[:LISTED_IN_NOTICE]
    return {
        "items": [
            {
                "name": c.name,
                "on": (
                    c.pool_warned_for or return_day(last_activity(c, policy.tz), policy.pool)
                ).isoformat(),
            }
            for c in shown
        ],
        "more": len(customers) - len(shown),
    }


async def _tell_owners(
    uow: UnitOfWork,
    returned: list[Customer],
    warned: list[Customer],
    policy: Policy,
    now: datetime,
) -> int:
    """One message per active owner with what was warned of and what went to the pool, and one
    per keeper of the register (the owner's supervisor) naming their team's returned ones."""
    people = {p.id: p for p in await uow.people.all()}
    by_owner: dict[int, tuple[list[Customer], list[Customer]]] = defaultdict(lambda: ([], []))
    for customer in returned:
        by_owner[customer.owner_id][0].append(customer)
    for customer in warned:
        by_owner[customer.owner_id][1].append(customer)
    notices = [
        Notification(
            owner_id,
            "pool_notice",
            {
                "returned": notice_list(gone, policy),
                "warned": notice_list(soon, policy),
                "idle_days": policy.pool.idle_days,
            },
        )
        for owner_id, (gone, soon) in sorted(by_owner.items())
        if owner_id in people and people[owner_id].active
    ]
    notices += _keeper_notices(returned, people, policy)
    await uow.outbox.add_many(notices, now)
    await uow.commit()
    return len(notices)


def _keeper_notices(
    returned: list[Customer], people: dict[int, Person], policy: Policy
) -> list[Notification]:
    everyone = list(people.values())
    team: dict[int, list[Customer]] = defaultdict(list)
    for customer in returned:
        owner = people.get(customer.owner_id)
        keeper = register_keeper(owner, everyone) if owner else None
        if keeper is not None:
            team[keeper.id].append(customer)
    return [
        Notification(
            keeper_id,
            "pool_team_notice",
            {
                "returned": notice_list(customers, policy),
                "owners": [people[c.owner_id].full_name for c in customers[:LISTED_IN_NOTICE]],
                "idle_days": policy.pool.idle_days,
            },
        )
        for keeper_id, customers in sorted(team.items())
    ]
