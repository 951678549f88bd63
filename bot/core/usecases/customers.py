"""The customers a rep works with. Issue 4 grows this into the full register; a deal request
needs only to pick one of the rep's own customers or add one with the minimum fields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.deals import CUSTOMER_NAME_MAX, Customer, clean_text
from bot.core.models import AuditEntry
from bot.core.ports import UnitOfWork
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
