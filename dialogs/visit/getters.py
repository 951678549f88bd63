from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.customer_rules import Intent, VisitKind
from bot.core.usecases import customers
from bot.labels import VISIT_FIELD_LABELS, intent_label, kind_label
from dialogs.common import person_of, renderer_of, uow_of


async def customers_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    query = dialog_manager.dialog_data.get("query")
    found = await customers.visible_customers(
        uow_of(dialog_manager), person_of(dialog_manager).id, query
    )
    open_ones = [c for c in found if c.is_open]
    return {
        "customers": [(c.id, c.name) for c in open_ones[:30]],
        "searching": bool(query),
        "query": query or "",
        "none": not open_ones,
    }


async def choices_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {
        "name": dialog_manager.dialog_data.get("customer_name", "—"),
        "kinds": [(k.value, kind_label(k.value)) for k in VisitKind],
        "intents": [(i.value, intent_label(i.value)) for i in Intent],
        "photo_count": len(dialog_manager.dialog_data.get("photos", [])),
    }


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    summary = renderer_of(dialog_manager).render("visit_summary", visit=dialog_manager.dialog_data)
    return {
        "summary": summary,
        "fields": [(key, _(label)) for key, label in VISIT_FIELD_LABELS.items()],
    }
