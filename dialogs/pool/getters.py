from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.core.usecases import pool
from bot.labels import pick_label
from bot.ui.fit import WINDOW_LIMIT
from dialogs.common import now_of, person_of, policy_of, renderer_of, uow_of


def region_code(manager: DialogManager, typed: str) -> str:
    """A region typed as the reader sees it ("华东") searched as it is stored ("east")."""
    regions = policy_of(manager).customers.regions
    wanted = typed.strip().casefold()
    return next((code for code in regions if pick_label(code).casefold() == wanted), typed)


async def list_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    query = data.get("query")
    page = await pool.pool_page(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        query=region_code(dialog_manager, query) if query else None,
        page=int(data.get("page", 0)),
    )
    data["page"] = page.page
    text = renderer_of(dialog_manager).render(
        "pool_list", query=query, total=page.total, page=page.page, pages=page.pages
    )
    items = [
        (c.id, " · ".join(filter(None, [c.name, pick_label(c.region) if c.region else None])))
        for c in page.customers
    ]
    return {
        "text": text,
        "items": items,
        "has_prev": page.page > 0,
        "has_next": page.page + 1 < page.pages,
    }


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    card = await pool.pool_card(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["customer"]),
        policy=policy_of(dialog_manager),
        now=now_of(dialog_manager),
    )
    view = {
        "customer": card.customer,
        "previous": card.previous,
        "blocked_until": card.blocked_until,
    }
    return {
        "card": renderer_of(dialog_manager).render_within("pool_card", view, WINDOW_LIMIT),
        "can_claim": card.may_claim,
        "can_assign": card.may_assign,
    }


async def assign_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    people = await pool.assign_candidates(uow_of(dialog_manager), person_of(dialog_manager).id)
    return {"people": [(p.id, p.full_name) for p in people], "none": not people}
