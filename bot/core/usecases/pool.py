"""The customer pool (公海) in use: the pool's list and card, claiming and
assigning (the daily sweep is in pool_sweep.py). The rules are in bot/core/pool.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.calendar import local
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
    ClaimFacts,
    PoolRefused,
    check_claim,
    reclaim_until,
)
from bot.core.ports import UnitOfWork
from bot.core.usecases.guards import active_person
from bot.core.usecases.pool_sweep import day_start

PAGE_SIZE = 8


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
        claims_today=await uow.pool.claims_since(actor.id, day_start(today, policy)),
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
