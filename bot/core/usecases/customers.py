"""The customers a person may see and pick: search, the card, and the quick add from a form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.customers import Customer, CustomerDraft, CustomerEvent, Visit
from bot.core.deals import CUSTOMER_NAME_MAX, clean_text
from bot.core.errors import CustomerTaken, NotFound
from bot.core.orders import DealStage, may_mark_lost
from bot.core.pool import POOL_MOVES
from bot.core.ports import UnitOfWork
from bot.core.usecases.customer_register import (
    card_actions,
    find_duplicates,
    in_team_sight,
    readable_customer,
    register,
    visible_owner_ids,
)
from bot.core.usecases.guards import active_person

SEARCH_MAX = 50


async def my_customers(
    uow: UnitOfWork, actor_id: int, query: str | None = None
) -> Sequence[Customer]:
    await active_person(uow, actor_id)
    text = (query or "").strip()[:SEARCH_MAX] or None
    return await uow.customers.owned_by([actor_id], text, limit=50)


async def quick_add(uow: UnitOfWork, *, owner_id: int, name: str, now: datetime) -> Customer:
    """A customer added from inside a form with its name only. It goes through the duplicate
    check and into the prospect register like any other: the rep's own record of that company
    is reused, someone else's is refused with the owner's name."""
    clean = clean_text(name, limit=CUSTOMER_NAME_MAX)
    hits = await find_duplicates(uow, actor_id=owner_id, name=clean, phone=None)
    own = next((hit.customer for hit in hits if hit.customer.owner_id == owner_id), None)
    if own is not None:
        return own
    if hits:
        raise CustomerTaken(name=hits[0].customer.name, owner=hits[0].owner_name)
    return await register(uow, actor_id=owner_id, draft=CustomerDraft(name=clean), now=now)


async def visible_customers(
    uow: UnitOfWork, actor_id: int, query: str | None = None
) -> Sequence[Customer]:
    """Search over what the actor may read: their own customers, or their team's, and those
    handed to them in customer service."""
    actor = await active_person(uow, actor_id)
    text = (query or "").strip()[:SEARCH_MAX] or None
    found = list(await uow.customers.owned_by(await visible_owner_ids(uow, actor), text, limit=50))
    seen = {c.id for c in found}
    handed = await uow.customers.handed_to(actor.id, text, limit=50)
    return [*found, *(c for c in handed if c.id not in seen)][:50]


async def handed_to_me(
    uow: UnitOfWork, actor_id: int, query: str | None = None
) -> Sequence[Customer]:
    """The customers handed over to this customer service person, newest visit first."""
    actor = await active_person(uow, actor_id)
    text = (query or "").strip()[:SEARCH_MAX] or None
    return await uow.customers.handed_to(actor.id, text, limit=50)


def status_history(events: Sequence[CustomerEvent]) -> list[CustomerEvent]:
    """Every change of the customer's status, newest first: registering, status changes,
    rejection and handover (the events that name the status they led to), and the pool's
    moves (returned, claimed, assigned)."""
    return [e for e in reversed(events) if e.to_status is not None or e.action in POOL_MOVES]


async def customer_view(uow: UnitOfWork, actor_id: int, customer_id: int) -> dict[str, Any]:
    """The customer card: status, owner, recent visits, next follow-up, deal requests, the
    deals and their stages, the status history, and what the actor may do with it (`card_actions`)."""
    customer = await readable_customer(uow, actor_id, customer_id)
    actor = await active_person(uow, actor_id)
    names = {p.id: p.full_name for p in await uow.people.all()}
    visits = await uow.visits.for_customer(customer.id, limit=3)
    events = await uow.customer_events.for_customer(customer.id)
    deals = await uow.requests.for_customer(customer.id, limit=5)
    records = await uow.deals.for_customer(customer.id)
    return {
        "customer": customer,
        "owner": names.get(customer.owner_id, "—"),
        "confirmed_by": names.get(customer.confirmed_by) if customer.confirmed_by else None,
        "visits": visits,
        "events": events[-5:],
        "history": status_history(events),
        "names": names,
        "deals": deals[:5],
        "deal_records": list(reversed(records))[:3],  # newest first
        "losable": [d for d in records if may_mark_lost(actor, d)],
        "reservable": [
            d for d in records if d.owner_id == actor_id and d.stage is DealStage.negotiating
        ],
        "actions": card_actions(actor, customer, team=await in_team_sight(uow, actor, customer)),
    }


async def visit_photos(uow: UnitOfWork, actor_id: int, visit_id: int) -> list[str]:
    """The Telegram file ids of a visit's photos, for whoever may read its customer's card."""
    visit = await uow.visits.get(visit_id)
    if visit is None:
        raise NotFound(what="visit")
    await readable_customer(uow, actor_id, visit.customer_id)
    return list(visit.photos)


@dataclass(frozen=True, slots=True)
class ReceptionRecord:
    """The printable reception record (接待记录): the customer and all its visits, newest first."""

    customer: Customer
    owner: str
    visits: Sequence[Visit]
    names: dict[int, str]  # the reps who logged them


async def reception_record(uow: UnitOfWork, actor_id: int, customer_id: int) -> ReceptionRecord:
    """For whoever may open the customer's card (`readable_customer`), in three reads."""
    customer = await readable_customer(uow, actor_id, customer_id)
    visits = await uow.visits.for_customer(customer.id, limit=None)
    wanted = {customer.owner_id, *(v.rep_id for v in visits)}
    names = {p.id: p.full_name for p in await uow.people.by_ids(wanted)}
    return ReceptionRecord(customer, names.get(customer.owner_id, "—"), visits, names)
