from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.core.customers import NEXT_STATUSES, CustomerStatus
from bot.core.usecases import customers, register
from bot.labels import role_label
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.picklists import status_label
from dialogs.common import person_of, renderer_of, uow_of

MARK = {"prospect": "🌱", "qualified": "⭐", "won": "🏆", "handed_over": "🤝", "lost": "·"}


def _row(customer: Any) -> tuple[int, str]:
    return customer.id, f"{MARK.get(customer.status.value, '')} {customer.name}"


async def menu_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    person = person_of(dialog_manager)
    queue = await register.unconfirmed_prospects(uow_of(dialog_manager), person.id)
    return {"manages": person.manages, "queue_size": len(queue), "has_queue": bool(queue)}


async def results_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    query = dialog_manager.dialog_data.get("query")
    found = await customers.visible_customers(
        uow_of(dialog_manager), person_of(dialog_manager).id, query
    )
    return {
        "items": [_row(c) for c in found],
        "query": query or "",
        "searching": bool(query),
        "none": not found,
    }


async def queue_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    queue = await register.unconfirmed_prospects(
        uow_of(dialog_manager), person_of(dialog_manager).id
    )
    return {"items": [_row(c) for c in queue], "none": not queue}


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    uow = uow_of(dialog_manager)
    viewer = person_of(dialog_manager)
    view = await customers.customer_view(
        uow, viewer.id, int(dialog_manager.dialog_data["customer"])
    )
    card = renderer_of(dialog_manager).render_within("customer_card", view, WINDOW_LIMIT)
    customer = view["customer"]
    others = customer.owner_id != viewer.id
    unconfirmed = customer.status is CustomerStatus.prospect and customer.confirmed_at is None
    return {
        "card": card,
        "can_visit": customer.is_open,
        "can_confirm": viewer.manages and others and unconfirmed,
        "can_manage": viewer.manages,
        "can_hand_over": viewer.manages and customer.status is CustomerStatus.won,
    }


async def status_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    customer = await register.visible_customer(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["customer"]),
    )
    options = NEXT_STATUSES[customer.status]
    return {"name": customer.name, "statuses": [(s.value, status_label(s.value)) for s in options]}


async def reassign_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    uow = uow_of(dialog_manager)
    viewer = person_of(dialog_manager)
    customer = await register.visible_customer(
        uow, viewer.id, int(dialog_manager.dialog_data["customer"])
    )
    owners = await register.visible_owner_ids(uow, viewer)
    people = [
        p
        for p in await uow.people.all()
        if p.id in owners and p.active and p.id != customer.owner_id
    ]
    return {
        "name": customer.name,
        "people": [(p.id, f"{p.full_name} · {role_label(p.role)}") for p in people],
    }


async def handover_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    people = await register.service_people(uow_of(dialog_manager))
    return {"people": [(p.id, p.full_name) for p in people], "none": not people}
