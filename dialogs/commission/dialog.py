"""A commission sheet's screen: the sheet with its traced payments; the role it waits for
checks it or returns it with a reason; the accountant marks an approved one paid, with the
payout's reference or without."""

from __future__ import annotations

from functools import partial
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.commission import PAID_REFERENCE_MAX, RETURN_REASON_MAX
from bot.core.usecases import commission_chain, exports
from bot.documents.commission_export import commission_tables
from bot.ui.inputs import text_field
from bot.ui.paging import pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, text_up_to
from dialogs.commission.pages import sheet_pages
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.export.send import send_export
from dialogs.starts import AtSheet
from dialogs.states import CommissionSG

SHEET, CARD = "sheet", "card"


def _sheet_id(manager: DialogManager) -> int:
    return int(manager.dialog_data[SHEET])


async def on_start(data: Any, manager: DialogManager) -> None:
    start = AtSheet.read(data)
    manager.dialog_data[SHEET] = start.sheet if start else 0


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    screen = await commission_chain.sheet_screen(
        uow_of(dialog_manager),
        actor_id=person_of(dialog_manager).id,
        sheet_id=_sheet_id(dialog_manager),
        policy=policy_of(dialog_manager),
    )
    return {
        **sheet_pages(dialog_manager, screen.view, CARD),
        "may_check": screen.may_check,
        "may_return": screen.may_return,
        "may_pay": screen.may_pay,
    }


async def on_check(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=CommissionSG.card):
        await commission_chain.check(
            uow_of(manager),
            actor_id=person_of(manager).id,
            sheet_id=_sheet_id(manager),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await callback.answer(_("Checked ✅"))


async def on_reason(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    async with ends_if_refused(manager, message, back_to=CommissionSG.card):
        await commission_chain.return_to_desk(
            uow_of(manager),
            actor_id=person_of(manager).id,
            sheet_id=_sheet_id(manager),
            reason=value,
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await manager.switch_to(CommissionSG.card)


async def _pay(manager: DialogManager, event: Message | CallbackQuery, ref: str | None) -> None:
    async with ends_if_refused(manager, event, back_to=CommissionSG.card):
        await commission_chain.mark_paid(
            uow_of(manager),
            actor_id=person_of(manager).id,
            sheet_id=_sheet_id(manager),
            reference=ref,
            now=now_of(manager),
        )
        await manager.switch_to(CommissionSG.card)


async def on_reference(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    await _pay(manager, message, value)


async def on_no_reference(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _pay(manager, callback, None)


async def on_excel(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The sheet as a workbook: its totals, its lines and the payments they count."""
    policy = policy_of(manager)
    async with ends_if_refused(manager, callback, back_to=CommissionSG.card):
        view = await exports.commission_export(
            uow_of(manager), person_of(manager).id, _sheet_id(manager), policy
        )
        rep = view.name(view.rep_id).replace("/", "-").replace("\\", "-")
        name = f"commission-sheet-{view.month:%Y-%m}-{rep}.xlsx"
        build = partial(commission_tables, view, policy)
        await send_export(callback, manager, build, name, truncated=False)


def commission_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{card}"),
            pager(CARD),
            Row(
                Button(Label("✅ Check"), id="check", on_click=on_check, when="may_check"),
                SwitchTo(
                    Label("↩️ Return"), id="back", state=CommissionSG.reason, when="may_return"
                ),
            ),
            SwitchTo(Label("💸 Mark paid"), id="pay", state=CommissionSG.reference, when="may_pay"),
            Button(Label("📥 Excel"), id="xlsx", on_click=on_excel),
            Cancel(Label("Close")),
            buttons_only(),
            state=CommissionSG.card,
            getter=card_getter,
        ),
        Window(
            Tr(
                "<b>Return the commission sheet</b>\nWhat should the sales desk put right? "
                "(up to 300 characters)"
            ),
            text_field("reason", text_up_to(RETURN_REASON_MAX), on_reason),
            SwitchTo(Label("◀ Back to the sheet"), id="tocard", state=CommissionSG.card),
            state=CommissionSG.reason,
        ),
        Window(
            Tr("<b>Mark paid</b>\nThe payout's reference? (up to 64 characters)"),
            text_field("ref", text_up_to(PAID_REFERENCE_MAX), on_reference),
            Button(Label("Without a reference"), id="noref", on_click=on_no_reference),
            SwitchTo(Label("◀ Back to the sheet"), id="tocard", state=CommissionSG.card),
            state=CommissionSG.reference,
        ),
        on_start=on_start,
    )
