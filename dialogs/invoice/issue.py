"""The accountant issues a signed invoice: its number (发票号码), its date (today one tap away,
or a day on the calendar within 90 days back), then saves; the asker, the rep and the sales
desk are told."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, SwitchTo

from bot.core.deals import InputProblem
from bot.core.invoices import (
    ISSUE_BACK_DAYS,
    InvoiceNumberTaken,
    check_issue_date,
    clean_number,
)
from bot.core.usecases import invoices
from bot.labels import day_label
from bot.rendering import money
from bot.ui.calendar import day_calendar
from bot.ui.inputs import input_problem_text, text_field
from bot.ui.invoice_errors import invoice_sentence
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.contract_search import refusal_of
from dialogs.money_fields import today_of
from dialogs.starts import AtInvoice
from dialogs.states import InvoiceIssueSG

ISSUED_ON = "issued_on"


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened on an invoice its caller checked (`invoices.issue_file`)."""
    at = AtInvoice.read(data)
    file = await invoices.issue_file(
        uow_of(manager), person_of(manager).id, at.invoice if at else 0
    )
    manager.dialog_data.update(
        invoice=file.invoice.id,
        contract=file.contract.number or "—",
        customer=file.customer_name,
        amount=str(file.invoice.amount),
    )


async def on_number(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    try:
        await invoices.check_number_free(uow_of(manager), value)
    except InvoiceNumberTaken as taken:
        await message.answer(invoice_sentence(taken, policy_of(manager).currency))
        return  # the number is asked again
    manager.dialog_data["number"] = value
    await manager.switch_to(InvoiceIssueSG.confirm)


def _issued_on(manager: DialogManager) -> date:
    picked = manager.dialog_data.get(ISSUED_ON)
    return date.fromisoformat(picked) if picked else today_of(manager)


def _range(manager: DialogManager) -> tuple[date | None, date | None]:
    today = today_of(manager)
    return today - timedelta(days=ISSUE_BACK_DAYS), today


async def on_day(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    try:
        check_issue_date(day, today_of(manager))
    except InputProblem as problem:
        await callback.answer(input_problem_text(problem), show_alert=True)
        return
    manager.dialog_data[ISSUED_ON] = day.isoformat()
    await manager.switch_to(InvoiceIssueSG.confirm)


async def on_today(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await on_day(callback, manager, today_of(manager))


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    async with ends_if_refused(manager, callback, why=refusal_of(manager)):
        await invoices.issue_invoice(
            uow_of(manager),
            actor_id=person_of(manager).id,
            invoice_id=int(data["invoice"]),
            number=data["number"],
            issued_on=_issued_on(manager),
            today=today_of(manager),
            now=now_of(manager),
        )
        await manager.switch_to(InvoiceIssueSG.done)


async def getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {
        "contract": data["contract"],
        "customer": data["customer"],
        "amount": money(data["amount"], policy_of(dialog_manager).currency),
        "number": data.get("number", ""),
        "day": day_label(_issued_on(dialog_manager)),
    }


def invoice_issue_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        Window(
            Tr(
                "<b>🧾 Invoice · {contract} · {customer}</b> · {amount}\n"
                "The invoice number (发票号码)? Letters and digits, up to 32."
            ),
            text_field("number", clean_number, on_number),
            Cancel(Label("✖ Cancel")),
            state=InvoiceIssueSG.number,
            getter=getter,
        ),
        Window(
            Tr("The invoice's date?"),
            Button(Label("Today"), id="today", on_click=on_today),
            day_calendar(ISSUED_ON, on_day, timezone, _range),
            buttons_only(),
            state=InvoiceIssueSG.issued_on,
        ),
        Window(
            Tr("<b>🧾 Invoice · {contract} · {customer}</b> · {amount}\nNo. {number} · {day}"),
            Tr("\nSave it? The rep and the sales desk will be told."),
            Button(Label("💾 Save"), id="save", on_click=on_save),
            Row(
                SwitchTo(Label("✏️ Number"), id="e_num", state=InvoiceIssueSG.number),
                SwitchTo(Label("📅 Date"), id="e_day", state=InvoiceIssueSG.issued_on),
            ),
            Cancel(Label("✖ Cancel")),
            buttons_only(),
            state=InvoiceIssueSG.confirm,
            getter=getter,
        ),
        Window(
            Tr("Invoice issued. 🧾 The rep and the sales desk have been told."),
            Cancel(Label("Done")),
            buttons_only(),
            state=InvoiceIssueSG.done,
        ),
        on_start=on_start,
    )
