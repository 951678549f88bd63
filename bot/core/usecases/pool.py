"""The customer pool (公海) in use: the daily sweep, the pool's list and card, claiming and
assigning. The rules are in bot/core/pool.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from bot.core.calendar import at_local, local
from bot.core.customers import Customer, CustomerEvent
from bot.core.errors import NotAllowed, NotFound
from bot.core.models import AuditEntry, Notification, Person
from bot.core.org import subtree_ids
from bot.core.policy import Policy
from bot.core.pool import (
    ASSIGNED,
    ASSIGNERS,
    CLAIMED,
    CLAIMERS,
    POOL_READERS,
    RETURNED,
    ClaimFacts,
    PoolRefused,
    PoolStage,
    announced_day,
    check_claim,
    idle_since,
    last_activity,
    pool_stage,
    reclaim_until,
    return_day,
)
from bot.core.ports import UnitOfWork
from bot.core.usecases.customer_register import register_keeper
from bot.core.usecases.guards import active_person

PAGE_SIZE = 8
LISTED_IN_NOTICE = 8  # per list in the owner's message: 16 names of 100 emoji fit 4,096


def _day_start(day: date, policy: Policy) -> datetime:
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
    candidates = await uow.pool.idle(last_day, _day_start(last_day + timedelta(days=1), policy))
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
    bound = _day_start(last_day + timedelta(days=1), policy)
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


@dataclass(frozen=True, slots=True)
class PoolPage:
    customers: list[Customer]
    total: int
    page: int
    pages: int


async def _reader(uow: UnitOfWork, actor_id: int) -> Person:
    actor = await active_person(uow, actor_id)
    if actor.role not in POOL_READERS:
        raise NotAllowed(action="pool")
    return actor


async def pool_page(
    uow: UnitOfWork, actor_id: int, *, query: str | None = None, page: int = 0
) -> PoolPage:
    """A page of the pool, latest returned first; `query` matches a name, phone or region."""
    await _reader(uow, actor_id)
    text = (query or "").strip()[:50] or None
    first = max(page, 0) * PAGE_SIZE
    customers, total = await uow.pool.listed(text, first, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return PoolPage(list(customers), total, min(max(page, 0), pages - 1), pages)


async def pooled_customer(uow: UnitOfWork, actor_id: int, customer_id: int) -> Customer:
    """A customer in the pool: any sales person may read it, to decide whether to claim it."""
    await _reader(uow, actor_id)
    customer = await uow.customers.get(customer_id)
    if customer is None or customer.pooled_at is None:
        raise NotFound(what="customer")
    return customer


async def _pooled_or_gone(uow: UnitOfWork, customer_id: int) -> Customer:
    customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound(what="customer")
    if customer.pooled_at is None:
        raise PoolRefused("gone")  # someone took it first
    return customer


async def claim(
    uow: UnitOfWork, *, actor_id: int, customer_id: int, policy: Policy, now: datetime
) -> Customer:
    """A rep takes a customer from the pool (`check_claim`'s limits); two taps at once: the
    first wins, the second is told it is gone."""
    actor = await active_person(uow, actor_id)
    if actor.role not in CLAIMERS:
        raise NotAllowed(action="pool_claim")
    customer = await _pooled_or_gone(uow, customer_id)
    today = local(now, policy).date()
    facts = ClaimFacts(
        claims_today=await uow.pool.claims_since(actor.id, _day_start(today, policy)),
        open_customers=await uow.pool.open_count(actor.id),
        previous_owner=customer.owner_id == actor.id,
    )
    check_claim(facts, customer, today, policy.pool, policy.tz)
    return await _take(uow, customer, actor, actor, now, action=CLAIMED)


async def _take(
    uow: UnitOfWork, customer: Customer, owner: Person, actor: Person, now: datetime, *, action: str
) -> Customer:
    if not await uow.pool.take(customer.id, owner.id, now, from_pool=True):
        raise PoolRefused("gone")
    comment = f"from:{customer.owner_id} to:{owner.id}"
    await uow.customer_events.add(
        CustomerEvent(customer.id, action, actor.id, now, comment=comment)
    )
    await uow.audit.add(AuditEntry(f"customer_{action}", actor.id, now, f"customer:{customer.id}"))
    if owner.id != actor.id:
        params = {"name": customer.name, "owner": owner.full_name, "by": actor.full_name}
        await uow.outbox.add(Notification(owner.id, "customer_assigned", params), now)
    await uow.commit()
    taken = await uow.customers.get(customer.id)
    return taken if taken is not None else customer


async def assign_candidates(uow: UnitOfWork, actor_id: int) -> list[Person]:
    """Whom a manager may assign a pooled customer to: the active reps and supervisors in
    their own line (an admin: anyone's)."""
    actor = await active_person(uow, actor_id)
    if actor.role not in ASSIGNERS:
        raise NotAllowed(action="pool_assign")
    people = list(await uow.people.all())
    line = {p.id for p in people} if actor.is_admin else subtree_ids(actor.id, people)
    return [p for p in people if p.id in line and p.active and p.role in CLAIMERS]


async def assign(
    uow: UnitOfWork,
    *,
    actor_id: int,
    customer_id: int,
    owner_id: int,
    policy: Policy,
    now: datetime,
) -> Customer:
    """A manager hands a pooled customer to someone in their line. The holding limit still
    holds (the rep could not follow more); the daily limit and the reclaim block are the
    rep's own claims', which a manager's decision overrides."""
    actor = await active_person(uow, actor_id)
    owner = next((p for p in await assign_candidates(uow, actor_id) if p.id == owner_id), None)
    if owner is None:
        raise NotFound(what="person")
    customer = await _pooled_or_gone(uow, customer_id)
    if await uow.pool.open_count(owner.id) >= policy.pool.max_open_customers:
        raise PoolRefused("max_open", limit=policy.pool.max_open_customers)
    return await _take(uow, customer, owner, actor, now, action=ASSIGNED)


def reclaim_note(customer: Customer, actor_id: int, policy: Policy, today: date) -> date | None:
    """For the pool's card: the day the reader may claim it back, if they are still blocked."""
    if customer.owner_id != actor_id or customer.pooled_at is None:
        return None
    until = reclaim_until(customer.pooled_at, policy.pool, policy.tz)
    return until if today < until else None


@dataclass(frozen=True, slots=True)
class PoolCard:
    customer: Customer
    previous: str  # the last owner's name
    blocked_until: date | None  # for the last owner: the day the reclaim block ends
    may_claim: bool
    may_assign: bool


async def pool_card(
    uow: UnitOfWork, actor_id: int, customer_id: int, *, policy: Policy, now: datetime
) -> PoolCard:
    """A pooled customer's card and what the reader may do with it (`claim`, `assign`)."""
    actor = await _reader(uow, actor_id)
    customer = await pooled_customer(uow, actor_id, customer_id)
    previous = await uow.people.get(customer.owner_id)
    today = local(now, policy).date()
    return PoolCard(
        customer,
        previous.full_name if previous else "—",
        reclaim_note(customer, actor.id, policy, today),
        may_claim=actor.role in CLAIMERS,
        may_assign=actor.role in ASSIGNERS,
    )
