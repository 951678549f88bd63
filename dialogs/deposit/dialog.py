"""The accountant records a deposit that came in: the amount (the expected one a tap away),
how it was paid, the number of the receipt she gave; the day and a reference on the summary."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Group, Row, Select
from aiogram_dialog.widgets.text import Format

from bot.core.calendar import local
from bot.core.deals import InputProblem, parse_amount
from bot.core.orders import (
    PAYMENT_BACKDATE_DAYS,
    PaymentMethod,
    check_paid_on,
    receipt_no,
    reference,
)
from bot.core.usecases import orders
from bot.i18n import N_
from bot.labels import payment_method_label
from bot.rendering import money
from bot.ui.calendar import day_calendar
from bot.ui.inputs import input_problem_text, text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.discard import FormKind, cancel_button, close_if_discarded
from dialogs.starts import AtDeal
from dialogs.states import DepositSG
from dialogs.summary_form import back_to_summary, echo, edit_button, next_or_summary

ANSWERS = ("amount", "method", "receipt")
PAID_ON = "paid_on"


def _cancel() -> Button:
    return cancel_button(FormKind.request, ANSWERS)


def _today(manager: DialogManager) -> date:
    return local(now_of(manager), policy_of(manager)).date()


def paid_on_range(manager: DialogManager) -> tuple[date | None, date | None]:
    today = _today(manager)
    return today - timedelta(days=PAYMENT_BACKDATE_DAYS), today


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


async def on_method(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, method: str
) -> None:
    if method not in tuple(PaymentMethod):  # a forged tap names no method
        return
    manager.dialog_data.update(method=method, echo=None)
    await _go(manager, DepositSG.receipt)


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


async def _set_day(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    try:
        check_paid_on(day, _today(manager))
    except InputProblem as problem:
        await callback.answer(input_problem_text(problem), show_alert=True)
        return
    manager.dialog_data[PAID_ON] = day.isoformat()
    await manager.switch_to(DepositSG.confirm)


async def on_day(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    back = 1 if button.widget_id == "yesterday" else 0
    await _set_day(callback, manager, _today(manager) - timedelta(days=back))


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    entry = orders.DepositEntry(
        amount=Decimal(data["amount"]),
        paid_on=date.fromisoformat(data.get(PAID_ON) or _today(manager).isoformat()),
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
            today=_today(manager),
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
        "methods": [(m.value, payment_method_label(m.value)) for m in PaymentMethod],
    }


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    paid_on = data.get(PAID_ON) or _today(dialog_manager).isoformat()
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
        Window(
            Format("{echo}", when="echo"),
            Tr("How was it paid?"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="method",
                    item_id_getter=itemgetter(0),
                    items="methods",
                    on_click=on_method,
                ),
                width=2,
            ),
            back_to_summary(DepositSG.confirm),
            _cancel(),
            buttons_only(),
            state=DepositSG.method,
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
        Window(
            Tr("When did it arrive?"),
            Row(
                Button(Label("Today"), id="today", on_click=on_day),
                Button(Label("Yesterday"), id="yesterday", on_click=on_day),
            ),
            day_calendar(PAID_ON, _set_day, timezone, paid_on_range),
            back_to_summary(DepositSG.confirm),
            buttons_only(),
            state=DepositSG.paid_on,
        ),
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
