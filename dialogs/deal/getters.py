from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.usecases.approval_views import view_for
from bot.labels import DEAL_FIELD_LABELS
from dialogs.common import person_of, renderer_of, uow_of


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    summary = renderer_of(dialog_manager).render("deal_summary", deal=data)
    return {
        "summary": summary,
        "fields": [(key, _(label)) for key, label in DEAL_FIELD_LABELS.items()],
        "resubmitting": bool(data.get("request_id")),
    }


async def done_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    request_id = int(dialog_manager.dialog_data["submitted"])
    view = await view_for(uow_of(dialog_manager), person_of(dialog_manager).id, request_id)
    step = view.open_step()
    return {
        "request_id": request_id,
        "first": view.names.get(step.decider_id, "—") if step else "—",
        "resubmitting": bool(dialog_manager.dialog_data.get("request_id")),
    }
