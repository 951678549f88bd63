"""The accountant records a deposit that came in: the amount (the expected one a tap away),
how it was paid, the number of the receipt she gave; the day and a reference on the summary."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row
from aiogram_dialog.widgets.text import Format

from bot.core.deals import parse_amount
from bot.core.orders import (
    PaymentMethod,
    receipt_no,
    reference,
)
from bot.core.usecases import orders
from bot.i18n import N_
from bot.rendering import money
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.discard import FormKind, cancel_button, close_if_discarded
from dialogs.money_fields import (
    method_items,
    method_window,
    paid_on_of,
    paid_on_window,
    today_of,
)
from dialogs.starts import AtDeal
from dialogs.states import DepositSG
from dialogs.summary_form import back_to_summary, echo, edit_button, next_or_summary

ANSWERS = ("amount", "method", "receipt")


def _cancel() -> Button:
    return cancel_button(FormKind.request, ANSWERS)


async def _go(manager: DialogManager, state: State) -> None:
    await next_or_summary(manager, state, DepositSG.confirm)


async def on_amount(
    message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
) -> None:
    manager.dialog_data.update(amount=str(value), echo="amount")
    await _go(manager, DepositSG.method)


async def on_expected(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(amount=manager.dialog_data["expected"], echo=None)
    await _go(manager, DepositSG.method)


async def on_receipt(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    manager.dialog_data.update(receipt=value, echo=None)
    await manager.switch_to(DepositSG.confirm)


async def on_reference(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    manager.dialog_data.update(reference=value, echo=None)
    await manager.switch_to(DepositSG.confirm)


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    entry = orders.DepositEntry(
        amount=Decimal(data["amount"]),
        paid_on=paid_on_of(manager),
        method=PaymentMethod(data["method"]),
        receipt_no=data["receipt"],
        reference=data.get("reference"),
    )
    async with ends_if_refused(manager, callback):
        await orders.record_deposit(
            uow_of(manager),
            actor_id=person_of(manager).id,
            deal_id=int(data["deal"]),
            entry=entry,
            today=today_of(manager),
            now=now_of(manager),
        )
        await manager.switch_to(DepositSG.done)


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened on a deal its caller checked (`orders.deposit_file`)."""
    start = AtDeal.read(data)
    file = await orders.deposit_file(
        uow_of(manager), person_of(manager).id, start.deal if start else 0
    )
    reservation = file.deal.reservation
    manager.dialog_data.update(
        deal=file.deal.id,
        customer=file.customer_name,
        rep=file.owner_name,
        reserved=None if reservation is None else str(reservation.amount),
        expected=None if reservation is None else str(reservation.expected_deposit),
    )


async def field_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    currency = policy_of(dialog_manager).currency
    expected = data.get("expected")
    return {
        "echo": echo(dialog_manager),
        "customer": data.get("customer", ""),
        "expected": money(expected, currency) if expected else "",
        "methods": method_items(),
    }


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    paid_on = paid_on_of(dialog_manager).isoformat()
    expected = data.get("expected")
    off = expected is not None and Decimal(data["amount"]) != Decimal(expected)
    summary = renderer_of(dialog_manager).render(
        "deposit_summary", d=data, paid_on=paid_on, off_expected=off
    )
    return {"summary": summary, "customer": data.get("customer", "")}


def _text_window(state: State, prompt: str, field: str, parse: Any, on_success: Any) -> Window:
    return Window(
        Tr(prompt),
        text_field(field, parse, on_success),
        back_to_summary(DepositSG.confirm),
        _cancel(),
        state=state,
    )


def deposit_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        Window(
            Format("{echo}", when="echo"),
            Tr("<b>Deposit · {customer}</b>\nExpected: {expected}. The amount received?"),
            text_field("amount", parse_amount, on_amount),
            Button(Format("↩️ {expected}"), id="expected", on_click=on_expected, when="expected"),
            back_to_summary(DepositSG.confirm),
            _cancel(),
            state=DepositSG.amount,
            getter=field_getter,
        ),
        method_window(
            DepositSG.method,
            DepositSG.receipt,
            DepositSG.confirm,
            _cancel(),
            getter=field_getter,
        ),
        _text_window(
            DepositSG.receipt,
            N_("The number of the receipt (收据) you gave? (up to 32 characters)"),
            "receipt",
            receipt_no,
            on_receipt,
        ),
        _text_window(
            DepositSG.reference,
            N_("The bank reference or cheque number? (up to 64 characters)"),
            "reference",
            reference,
            on_reference,
        ),
        paid_on_window(DepositSG.paid_on, DepositSG.confirm, timezone),
        Window(
            Format("{summary}"),
            Tr("\nSave it? The rep and their supervisor will be told."),
            Button(Label("💾 Save"), id="save", on_click=on_save),
            Row(
                edit_button("✏️ Amount", "e_amount", DepositSG.amount),
                edit_button("✏️ Method", "e_method", DepositSG.method),
            ),
            Row(
                edit_button("✏️ Receipt No.", "e_receipt", DepositSG.receipt),
                edit_button("📅 Day", "e_day", DepositSG.paid_on),
            ),
            edit_button("🔖 Reference", "e_ref", DepositSG.reference),
            _cancel(),
            buttons_only(),
            state=DepositSG.confirm,
            getter=summary_getter,
        ),
        Window(
            Tr("Deposit recorded. 🧾 The rep and their supervisor have been told."),
            Cancel(Label("Done")),
            buttons_only(),
            state=DepositSG.done,
        ),
        on_start=on_start,
        on_process_result=close_if_discarded,
    )
