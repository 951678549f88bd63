"""The customers a rep works with. Issue 4 grows this into the full register; a deal request
needs only to pick one of the rep's own customers or add one with the minimum fields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.customers import Customer
from bot.core.deals import CUSTOMER_NAME_MAX, clean_text
from bot.core.models import AuditEntry
from bot.core.ports import UnitOfWork
from bot.core.usecases.register import visible_customer, visible_owner_ids
from bot.core.usecases.team import active_person

SEARCH_MAX = 50


async def my_customers(
    uow: UnitOfWork, actor_id: int, query: str | None = None
) -> Sequence[Customer]:
    await active_person(uow, actor_id)
    text = (query or "").strip()[:SEARCH_MAX] or None
    return await uow.customers.owned_by([actor_id], text, limit=50)


async def quick_add(uow: UnitOfWork, *, owner_id: int, name: str, now: datetime) -> Customer:
    await active_person(uow, owner_id)
    customer = await uow.customers.add(
        name=clean_text(name, limit=CUSTOMER_NAME_MAX), owner_id=owner_id, phone=None, now=now
    )
    await uow.audit.add(AuditEntry("customer_added", owner_id, now, f"customer:{customer.id}"))
    await uow.commit()
    return customer


async def visible_customers(
    uow: UnitOfWork, actor_id: int, query: str | None = None
) -> Sequence[Customer]:
    """Search over what the actor may see: their own customers, or their team's."""
    actor = await active_person(uow, actor_id)
    text = (query or "").strip()[:SEARCH_MAX] or None
    return await uow.customers.owned_by(await visible_owner_ids(uow, actor), text, limit=50)


async def customer_view(uow: UnitOfWork, actor_id: int, customer_id: int) -> dict[str, Any]:
    """The customer card: status, owner, recent visits, next follow-up, open deals, history."""
    customer = await visible_customer(uow, actor_id, customer_id)
    names = {p.id: p.full_name for p in await uow.people.all()}
    visits = await uow.visits.for_customer(customer.id, limit=3)
    events = await uow.customer_events.for_customer(customer.id)
    deals = [
        r
        for r in await uow.requests.by_requester(customer.owner_id, limit=200)
        if r.terms.customer_id == customer.id
    ]
    return {
        "customer": customer,
        "owner": names.get(customer.owner_id, "—"),
        "confirmed_by": names.get(customer.confirmed_by) if customer.confirmed_by else None,
        "visits": visits,
        "events": events[-5:],
        "names": names,
        "deals": deals[:5],
    }
