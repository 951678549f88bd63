"""A work order's screen: what it says and where it stands; the sales manager signs it, the
signer or the desk assigns customer service, the assignee records the acceptance report; and
the printable page (派工单) for anyone who may open it."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Bot
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.usecases import follow_on
from bot.core.work_orders import ACCEPTANCE_MAX
from bot.documents.files import pdf_file
from bot.documents.pdf import render_pdf
from bot.documents.work_order import work_order_document
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.starts import AtWorkOrder
from dialogs.states import WorkOrderSG

ORDER = "order"


def _order_id(manager: DialogManager) -> int:
    return int(manager.dialog_data[ORDER])


async def _screen(manager: DialogManager) -> follow_on.WorkOrderScreen:
    return await follow_on.work_order_screen(
        uow_of(manager), person_of(manager).id, _order_id(manager)
    )


async def on_start(data: Any, manager: DialogManager) -> None:
    start = AtWorkOrder.read(data)
    manager.dialog_data[ORDER] = start.order if start else 0


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    screen = await _screen(dialog_manager)
    params = follow_on.work_order_params(screen.view)
    card = renderer_of(dialog_manager).render_within("work_order", params, WINDOW_LIMIT)
    return {
        "card": card,
        "may_sign": screen.may_sign,
        "may_assign": screen.may_assign,
        "may_accept": screen.may_accept,
    }


async def on_sign(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=WorkOrderSG.card):
        await follow_on.sign(
            uow_of(manager),
            actor_id=person_of(manager).id,
            order_id=_order_id(manager),
            now=now_of(manager),
        )
        await callback.answer(_("Signed ✅"))


async def assignee_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    people = await follow_on.customer_service(uow_of(dialog_manager))
    return {"people": [(p.id, p.full_name) for p in people], "nobody": not people}


async def on_assignee(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, person_id: int
) -> None:
    async with ends_if_refused(manager, callback, back_to=WorkOrderSG.card):
        await follow_on.assign(
            uow_of(manager),
            actor_id=person_of(manager).id,
            order_id=_order_id(manager),
            assignee_id=person_id,
            now=now_of(manager),
        )
        await callback.answer(_("Assigned ✅"))
        await manager.switch_to(WorkOrderSG.card)


async def on_acceptance(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    async with ends_if_refused(manager, message, back_to=WorkOrderSG.card):
        await follow_on.accept(
            uow_of(manager),
            actor_id=person_of(manager).id,
            order_id=_order_id(manager),
            acceptance=value,
            now=now_of(manager),
        )
        await manager.switch_to(WorkOrderSG.card)


async def on_pdf(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The printable page in the reader's language, sent below; the screen comes back under it."""
    screen = await _screen(manager)
    document = work_order_document(screen.view, policy_of(manager).tz)
    data = await asyncio.to_thread(render_pdf, document)
    name = f"{document.title} {document.number.value}"
    bot: Bot = manager.middleware_data["bot"]
    await bot.send_document(callback.from_user.id, pdf_file(data, name))
    await callback.answer()
    manager.show_mode = ShowMode.SEND


def work_order_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{card}"),
            Button(Label("✍️ Sign"), id="sign", on_click=on_sign, when="may_sign"),
            SwitchTo(
                Label("👤 Assign customer service"),
                id="assign",
                state=WorkOrderSG.assignee,
                when="may_assign",
            ),
            SwitchTo(
                Label("📝 Acceptance report"),
                id="accept",
                state=WorkOrderSG.acceptance,
                when="may_accept",
            ),
            Button(Label("📄 PDF"), id="pdf", on_click=on_pdf),
            Cancel(Label("Close")),
            buttons_only(),
            state=WorkOrderSG.card,
            getter=card_getter,
        ),
        Window(
            Tr("Who in customer service does the work?"),
            Tr("Nobody is in customer service yet.", when="nobody"),
            choice_list("people", "cs", on_assignee),
            SwitchTo(Label("◀ Back to the work order"), id="tocard", state=WorkOrderSG.card),
            buttons_only(),
            state=WorkOrderSG.assignee,
            getter=assignee_getter,
        ),
        Window(
            Tr(
                "<b>Acceptance report</b>\nWhat was done, and did the customer accept it? "
                "(up to 500 characters) Saving it closes the work order."
            ),
            text_field("acceptance", text_up_to(ACCEPTANCE_MAX), on_acceptance),
            SwitchTo(Label("◀ Back to the work order"), id="tocard", state=WorkOrderSG.card),
            state=WorkOrderSG.acceptance,
        ),
        on_start=on_start,
    )
