"""Ask for an invoice on a contract (opened from its card in /contract, where the gate was
checked): the whole amount not yet invoiced in one tap, or a smaller amount typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel
from aiogram_dialog.widgets.text import Format

from bot.core.collections import collected_percent
from bot.core.deals import parse_amount
from bot.core.usecases import invoices
from bot.rendering import money
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.contract_search import refusal_of
from dialogs.starts import AtContract
from dialogs.states import InvoiceAskSG


async def on_start(data: Any, manager: DialogManager) -> None:
    at = AtContract.read(data)
    start = await invoices.invoice_start(
        uow_of(manager), person_of(manager).id, at.contract if at else 0, policy_of(manager)
    )
    c = start.contract
    manager.dialog_data.update(
        contract=c.id,
        number=c.number or "—",
        amount=str(c.amount),
        collected=str(start.collected),
        percent=str(collected_percent(c.amount, start.collected)),
        room=str(start.room),
    )


async def _ask(event: Message | CallbackQuery, manager: DialogManager, amount: Decimal) -> None:
    async with ends_if_refused(
        manager, event, back_to=InvoiceAskSG.amount, why=refusal_of(manager)
    ):
        await invoices.ask_invoice(
            uow_of(manager),
            actor_id=person_of(manager).id,
            contract_id=int(manager.dialog_data["contract"]),
            amount=amount,
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await manager.switch_to(InvoiceAskSG.done)


async def on_whole(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask(callback, manager, Decimal(manager.dialog_data["room"]))


async def on_amount(
    message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
) -> None:
    await _ask(message, manager, value)


async def getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    currency = policy_of(dialog_manager).currency
    return {
        "number": data["number"],
        "amount": money(data["amount"], currency),
        "collected": money(data["collected"], currency),
        "percent": data["percent"],
        "room": money(data["room"], currency),
    }


def invoice_ask_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr(
                "<b>🧾 Invoice · {number}</b>\nContract {amount}, collected {collected} "
                "({percent} %). Not invoiced yet: {room}.\nInvoice all of it, or type a "
                "smaller amount. The finance VP signs it."
            ),
            text_field("amount", parse_amount, on_amount),
            Button(Format("🧾 {room}"), id="whole", on_click=on_whole),
            Cancel(Label("✖ Cancel")),
            state=InvoiceAskSG.amount,
            getter=getter,
        ),
        Window(
            Tr("Invoice asked for. 🧾 The finance VP has it to sign."),
            Cancel(Label("Done")),
            buttons_only(),
            state=InvoiceAskSG.done,
        ),
        on_start=on_start,
    )
