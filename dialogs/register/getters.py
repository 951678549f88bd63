from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.customers import DuplicateHit
from bot.core.pool import CLAIMERS
from bot.core.usecases import customer_register
from bot.labels import CUSTOMER_FIELD_LABELS, OTHER, pick_label, status_label
from dialogs.common import person_of, policy_of, renderer_of, uow_of
from dialogs.discard import EDITING


def _choices(codes: tuple[str, ...], other: bool = True) -> list[tuple[str, str]]:
    items = [(code, pick_label(code)) for code in codes]
    return [*items, (OTHER, _("Other…"))] if other else items


async def picklists_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    lists = policy_of(dialog_manager).customers
    return {
        "industries": _choices(lists.industries),
        "sizes": _choices(lists.sizes, other=False),
        "regions": _choices(lists.regions),
        "sources": _choices(lists.sources, other=False),
    }


async def duplicates(manager: DialogManager) -> list[DuplicateHit]:
    """The registration's duplicate check for the name and phone typed so far; a customer being
    edited is not a duplicate of itself."""
    data = manager.dialog_data
    return await customer_register.find_duplicates(
        uow_of(manager),
        actor_id=person_of(manager).id,
        name=data["name"],
        phone=data.get("phone"),
        exclude=data.get(EDITING),
    )


async def duplicates_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    hits = await duplicates(dialog_manager)
    lines = [
        {
            "name": h.customer.name,
            "owner": h.owner_name,
            "pooled": h.pooled,
            "status": status_label(h.customer.status.value),
            "by_phone": h.by_phone,
        }
        for h in hits
    ]
    text = renderer_of(dialog_manager).render("customer_duplicates", hits=lines)
    openable = [(h.customer.id, f"🔎 {h.customer.name}") for h in hits if h.visible]
    claimable = [(h.customer.id, f"🙋 {h.customer.name}") for h in hits if h.pooled]
    may_claim = person_of(dialog_manager).role in CLAIMERS
    return {"duplicates": text, "openable": openable, "claimable": claimable if may_claim else []}


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    editing = bool(data.get(EDITING))
    summary = renderer_of(dialog_manager).render("customer_summary", draft=data, editing=editing)
    return {
        "summary": summary,
        "editing": editing,
        "fields": [(key, _(label)) for key, label in CUSTOMER_FIELD_LABELS.items()],
    }
