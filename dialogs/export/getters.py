from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.core.usecases import exports
from bot.documents.exports import export_title
from dialogs.common import person_of, uow_of
from dialogs.export.handlers import kind_of, period_of


async def kinds_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    kinds = await exports.export_kinds(uow_of(dialog_manager), person_of(dialog_manager).id)
    return {"kinds": [(k.value, export_title(k)) for k in kinds], "none": not kinds}


async def chosen_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    period = period_of(dialog_manager)
    return {
        "title": export_title(kind_of(dialog_manager)),
        "period": f" · {period.first} – {period.last}" if period else "",
    }
