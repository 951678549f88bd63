"""The accountant records a payment against a contract in force: the contract found by number
or customer, the amount (the outstanding one a tap away), how it was paid; the day and a bank
reference on the summary."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row
from aiogram_dialog.widgets.text import Format

from bot.core.deals import parse_amount
from bot.core.errors import DomainError
from bot.core.orders import PaymentMethod, reference
from bot.core.usecases import collections
from bot.core.usecases.contract_search import ContractFile
from bot.i18n import N_
from bot.rendering import money
from bot.ui.errors import explain
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import (
    ends_if_refused,
    now_of,
    person_of,
    policy_of,
    renderer_of,
    tell,
    uow_of,
)
from dialogs.contract_search import contract_finder, refusal_of
from dialogs.discard import FormKind, cancel_button, close_if_discarded
from dialogs.money_fields import (
    METHOD,
    method_items,
    method_window,
    paid_on_of,
    paid_on_window,
    today_of,
)
from dialogs.states import PaymentSG
from dialogs.summary_form import back_to_summary, echo, edit_button, next_or_summary

ANSWERS = ("amount", METHOD)


def _cancel() -> Button:
    return cancel_button(FormKind.request, ANSWERS)


async def _search(manager: DialogManager, text: str) -> list[ContractFile]:
    return await collections.payable_contracts(uow_of(manager), person_of(manager).id, text)


async def on_contract(callback: CallbackQuery, manager: DialogManager, contract_id: int) -> None:
    async with ends_if_refused(manager, callback, back_to=PaymentSG.contract):
        file = await collections.payment_file(uow_of(manager), person_of(manager).id, contract_id)
        manager.dialog_data.update(
            contract=file.contract.id,
            number=file.contract.number,
            customer=file.file.customer_name,
            contract_amount=str(file.contract.amount),
            collected=str(file.collected),
            outstanding=str(file.outstanding),
        )
        await manager.switch_to(PaymentSG.amount)


async def _take_amount(
    event: Message | CallbackQuery, manager: DialogManager, value: str, echoed: str | None
) -> None:
    data = manager.dialog_data
    try:
        await collections.check_amount(
            uow_of(manager), person_of(manager).id, int(data["contract"]), Decimal(value)
        )
    except DomainError as error:
        text = explain(error, policy_of(manager).currency)
        await tell(event, text)
        return
    data.update(amount=value, echo=echoed)
    await next_or_summary(manager, PaymentSG.method, PaymentSG.confirm)


async def on_amount(
    message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
) -> None:
    await _take_amount(message, manager, str(value), "amount")


async def on_outstanding(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _take_amount(callback, manager, manager.dialog_data["outstanding"], None)


async def on_reference(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, value: str
) -> None:
    manager.dialog_data.update(reference=value, echo=None)
    await manager.switch_to(PaymentSG.confirm)


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    entry = collections.PaymentEntry(
        amount=Decimal(data["amount"]),
        paid_on=paid_on_of(manager),
        method=PaymentMethod(data[METHOD]),
        reference=data.get("reference"),
    )
    async with ends_if_refused(manager, callback, why=refusal_of(manager)):
        recorded = await collections.record_payment(
            uow_of(manager),
            actor_id=person_of(manager).id,
            contract_id=int(data["contract"]),
            entry=entry,
            today=today_of(manager),
            now=now_of(manager),
        )
        data.update(first=recorded.first, outstanding=str(recorded.outstanding))
        await manager.switch_to(PaymentSG.done)


async def field_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    currency = policy_of(dialog_manager).currency
    return {
        "echo": echo(dialog_manager),
        "number": data.get("number") or "",
        "customer": data.get("customer", ""),
        "contract_amount": money(data.get("contract_amount", 0), currency),
        "collected": money(data.get("collected", 0), currency),
        "outstanding": money(data.get("outstanding", 0), currency),
        "methods": method_items(),
        "first": bool(data.get("first")),
    }


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    summary = renderer_of(dialog_manager).render(
        "payment_summary",
        d=dialog_manager.dialog_data,
        paid_on=paid_on_of(dialog_manager).isoformat(),
    )
    return {"summary": summary}


def payment_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        contract_finder(
            PaymentSG.contract,
            prompt=Tr(
                "<b>💵 Record a payment</b>\nType the contract number or the customer's name."
            ),
            search=_search,
            on_picked=on_contract,
        ),
        Window(
            Format("{echo}", when="echo"),
            Tr(
                "<b>Payment · {number} · {customer}</b>\n"
                "Collected {collected} of {contract_amount}; outstanding {outstanding}.\n"
                "The amount received?"
            ),
            text_field("amount", parse_amount, on_amount),
            Button(Format("↩️ {outstanding}"), id="outstanding", on_click=on_outstanding),
            back_to_summary(PaymentSG.confirm),
            _cancel(),
            state=PaymentSG.amount,
            getter=field_getter,
        ),
        method_window(
            PaymentSG.method, PaymentSG.confirm, PaymentSG.confirm, _cancel(), getter=field_getter
        ),
        Window(
            Tr(N_("The bank reference or cheque number? (up to 64 characters)")),
            text_field("reference", reference, on_reference),
            back_to_summary(PaymentSG.confirm),
            _cancel(),
            state=PaymentSG.reference,
        ),
        paid_on_window(PaymentSG.paid_on, PaymentSG.confirm, timezone),
        Window(
            Format("{summary}"),
            Tr("\nSave it? The rep and their supervisor will be told."),
            Button(Label("💾 Save"), id="save", on_click=on_save),
            Row(
                edit_button("✏️ Amount", "e_amount", PaymentSG.amount),
                edit_button("✏️ Method", "e_method", PaymentSG.method),
            ),
            Row(
                edit_button("📅 Day", "e_day", PaymentSG.paid_on),
                edit_button("🔖 Reference", "e_ref", PaymentSG.reference),
            ),
            _cancel(),
            buttons_only(),
            state=PaymentSG.confirm,
            getter=summary_getter,
        ),
        Window(
            Tr("Payment recorded. 💵 The rep and their supervisor have been told."),
            Tr("It is the contract's first payment.", when="first"),
            Tr("Outstanding now: {outstanding}."),
            Cancel(Label("Done")),
            buttons_only(),
            state=PaymentSG.done,
            getter=field_getter,
        ),
        on_process_result=close_if_discarded,
    )
