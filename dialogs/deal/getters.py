from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.deals import net_amount_of
from bot.core.usecases.approval_views import view_for
from bot.labels import DEAL_FIELD_LABELS
from bot.ui.fit import BUTTON_TEXT_MAX, clip
from dialogs.cc_pick.dialog import cc_names
from dialogs.common import person_of, policy_of, renderer_of, uow_of


async def field_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    """The number typed last, read back as understood ("✓ Amount: ¥360,000.00" for 36万), and
    the product last asked for with this customer, offered as one tap."""
    data = dialog_manager.dialog_data
    field = data.get("echo")
    echo = ""
    if field and data.get(field) is not None:
        echo = renderer_of(dialog_manager).render("deal_echo", field=field, value=data[field])
    return {"echo": echo, "last_product": clip(data.get("last_product") or "", BUTTON_TEXT_MAX)}


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    discount = data.get("discount")
    net = net_amount_of(Decimal(data["amount"]), None if discount is None else Decimal(discount))
    summary = renderer_of(dialog_manager).render("deal_summary", deal=data, net=str(net))
    return {
        "summary": summary,
        "fields": [(key, _(label)) for key, label in DEAL_FIELD_LABELS.items()],
        "resubmitting": bool(data.get("request_id")),
        "cc_names": await cc_names(dialog_manager),
    }


async def done_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    request_id = int(dialog_manager.dialog_data["submitted"])
    view = await view_for(
        uow_of(dialog_manager), person_of(dialog_manager).id, request_id, policy_of(dialog_manager)
    )
    step = view.open_step()
    return {
        "request_id": request_id,
        "first": view.names.get(step.decider_id, "—") if step else "—",
        "resubmitting": bool(dialog_manager.dialog_data.get("request_id")),
    }
