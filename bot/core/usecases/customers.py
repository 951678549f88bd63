"""The customers a person may see and pick: search, the card, and the quick add from a form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.customers import Customer, CustomerDraft
from bot.core.deals import CUSTOMER_NAME_MAX, clean_text
from bot.core.errors import CustomerTaken
from bot.core.ports import UnitOfWork
from bot.core.usecases.customer_register import (
    card_actions,
    find_duplicates,
    register,
    visible_customer,
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
    """Search over what the actor may see: their own customers, or their team's."""
    actor = await active_person(uow, actor_id)
    text = (query or "").strip()[:SEARCH_MAX] or None
    return await uow.customers.owned_by(await visible_owner_ids(uow, actor), text, limit=50)


async def customer_view(uow: UnitOfWork, actor_id: int, customer_id: int) -> dict[str, Any]:
    """The customer card: status, owner, recent visits, next follow-up, open deals, history,
    and what the actor may do with it (`card_actions`)."""
    customer = await visible_customer(uow, actor_id, customer_id)
    actor = await active_person(uow, actor_id)
    names = {p.id: p.full_name for p in await uow.people.all()}
    visits = await uow.visits.for_customer(customer.id, limit=3)
    events = await uow.customer_events.for_customer(customer.id)
    deals = await uow.requests.for_customer(customer.id, limit=5)
    return {
        "customer": customer,
        "owner": names.get(customer.owner_id, "—"),
        "confirmed_by": names.get(customer.confirmed_by) if customer.confirmed_by else None,
        "visits": visits,
        "events": events[-5:],
        "names": names,
        "deals": deals[:5],
        "actions": card_actions(actor, customer),
    }
