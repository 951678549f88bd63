from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.calendar import local
from bot.core.customers import next_statuses
from bot.core.pool import POOL_READERS
from bot.core.roles import Role
from bot.core.usecases import contract_application, customer_register, customers
from bot.core.usecases.credit import credit_of
from bot.core.usecases.exports import CUSTOMER_EXPORTERS
from bot.labels import day_label, role_label, status_label
from bot.ui.fit import WINDOW_LIMIT
from dialogs.common import now_of, person_of, policy_of, renderer_of, uow_of

HANDED = "handed"  # dialog_data["list"]: the customers handed to a customer service person
MARK = {"prospect": "🌱", "qualified": "⭐", "won": "🏆", "handed_over": "🤝", "lost": "·"}


def _row(customer: Any) -> tuple[int, str]:
    return customer.id, f"{MARK.get(customer.status.value, '')} {customer.name}"


async def menu_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    person = person_of(dialog_manager)
    queue = await customer_register.unconfirmed_prospects(uow_of(dialog_manager), person.id)
    serves = person.role is Role.customer_service
    return {
        "manages": person.manages,
        "queue_size": len(queue),
        "has_queue": bool(queue),
        "serves": serves,
        "sells": not serves,
        "pool": person.role in POOL_READERS,
        "exports": person.role in CUSTOMER_EXPORTERS,
    }


async def results_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    query = dialog_manager.dialog_data.get("query")
    handed = dialog_manager.dialog_data.get("list") == HANDED
    uow, person_id = uow_of(dialog_manager), person_of(dialog_manager).id
    if handed:
        found = await customers.handed_to_me(uow, person_id, query)
    else:
        found = await customers.visible_customers(uow, person_id, query)
    empty = not query and not found
    return {
        "items": [_row(c) for c in found],
        "query": query or "",
        "searching": bool(query),
        "none_found": bool(query) and not found,
        "empty": empty and not handed,
        "none_handed": empty and handed,
        "typed": dialog_manager.dialog_data.get("typed", False),
    }


async def queue_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    queue = await customer_register.unconfirmed_prospects(
        uow_of(dialog_manager), person_of(dialog_manager).id
    )
    return {"items": [_row(c) for c in queue], "none": not queue}


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    view = await customers.customer_view(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["customer"]),
    )
    customer_id = int(dialog_manager.dialog_data["customer"])
    today = local(now_of(dialog_manager), policy_of(dialog_manager)).date()
    credit = await credit_of(
        uow_of(dialog_manager), [customer_id], today, policy_of(dialog_manager)
    )
    card = renderer_of(dialog_manager).render_within(
        "customer_card", {**view, "money": credit[customer_id]}, WINDOW_LIMIT
    )
    may: customer_register.CardActions = view["actions"]
    photos = [
        (
            v.id,
            _("🖼 Photos (%(num)s) · %(day)s")
            % {"num": len(v.photos), "day": day_label(v.visited_on)},
        )
        for v in view["visits"]
        if v.photos
    ]
    return {
        "card": card,
        "can_visit": may.visit,
        "can_confirm": may.confirm,
        "can_manage": may.manage,
        "can_hand_over": may.hand_over,
        "can_edit": may.edit,
        "can_win": may.win,
        "reservable": bool(view["reservable"]),
        "losable": bool(view["losable"]),
        "fileable": await contract_application.fileable_on_customer(
            uow_of(dialog_manager),
            person_of(dialog_manager).id,
            int(dialog_manager.dialog_data["customer"]),
            policy_of(dialog_manager),
        ),
        "photos": photos,
    }


async def won_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    customer = await customer_register.visible_customer(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["customer"]),
    )
    return {"name": customer.name}


async def status_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    customer = await customer_register.visible_customer(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["customer"]),
    )
    options = next_statuses(customer)
    return {"name": customer.name, "statuses": [(s.value, status_label(s.value)) for s in options]}


async def reassign_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    customer, people = await customer_register.reassign_candidates(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["customer"]),
    )
    return {
        "name": customer.name,
        "people": [(p.id, f"{p.full_name} · {role_label(p.role)}") for p in people],
    }


async def handover_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    people = await customer_register.service_people(uow_of(dialog_manager))
    return {"people": [(p.id, p.full_name) for p in people], "none": not people}
