from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.customer_rules import Intent, VisitKind
from bot.labels import VISIT_FIELD_LABELS, intent_label, kind_label
from dialogs.common import renderer_of


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
