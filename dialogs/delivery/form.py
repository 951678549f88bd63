"""The delivery note form: each contract line with what was ordered, what notes hold so far and
what is left; a quantity per line (0 or Skip leaves the line out; more than is left is refused
with its sentence and asked again); a summary; filed for the sales manager to sign."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel
from aiogram_dialog.widgets.text import Format

from bot.core.deals import InputProblem, parse_quantity
from bot.core.deliveries import OverDelivery
from bot.core.usecases import delivery
from bot.rendering import units
from bot.ui.delivery_errors import over_delivery
from bot.ui.inputs import input_problem_text, text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.discard import FormKind, cancel_button, close_if_discarded
from dialogs.starts import AtContract
from dialogs.states import DeliveryNoteSG

ANSWERS = ("started",)
LINES, AT = "lines", "at"


def parse_note_quantity(text: str) -> Decimal:
    """A quantity for one line: 0 leaves the line off the note."""
    if text.strip() in ("0", "0.0", "0.00", "0.000"):
        return Decimal(0)
    return parse_quantity(text)


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened on a contract its caller checked (`delivery.filing_file`)."""
    start = AtContract.read(data)
    file = await delivery.filing_file(
        uow_of(manager), person_of(manager).id, start.contract if start else 0, policy_of(manager)
    )
    lines = [
        {
            "product": line.product,
            "ordered": str(line.quantity),
            "delivered": str(done),
            "left": str(left),
        }
        for line, done, left in zip(
            file.contract.lines, file.delivered, file.remaining, strict=True
        )
    ]
    manager.dialog_data.update(
        contract=file.contract.id,
        number=file.contract.number or "—",
        customer=file.customer_name,
        lines=lines,
    )
    manager.dialog_data[AT] = _next_line(lines, 0)


def _next_line(lines: list[dict[str, str]], position: int) -> int:
    """The next line with something left to deliver; a line with nothing left takes 0."""
    while position < len(lines) and Decimal(lines[position]["left"]) <= 0:
        lines[position]["asked"] = "0"
        position += 1
    return position


async def _ask_from(manager: DialogManager, position: int) -> None:
    lines = manager.dialog_data[LINES]
    position = manager.dialog_data[AT] = _next_line(lines, position)
    if position >= len(lines):
        await manager.switch_to(DeliveryNoteSG.confirm)
    else:
        await manager.switch_to(DeliveryNoteSG.quantity)


async def _take(manager: DialogManager, value: Decimal) -> str | None:
    """Records the line's quantity, or the sentence why it does not fit."""
    line = manager.dialog_data[LINES][manager.dialog_data[AT]]
    ordered, done = Decimal(line["ordered"]), Decimal(line["delivered"])
    if done + value > ordered:
        return over_delivery(OverDelivery(line["product"], ordered, done, value))
    line["asked"] = str(value)
    manager.dialog_data["started"] = True
    await _ask_from(manager, manager.dialog_data[AT] + 1)
    return None


async def on_quantity(
    message: Message, _w: ManagedTextInput[Decimal], manager: DialogManager, value: Decimal
) -> None:
    refusal = await _take(manager, value)
    if refusal:
        await message.answer(refusal)


async def on_skip(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _take(manager, Decimal(0))


async def on_all_left(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    line = manager.dialog_data[LINES][manager.dialog_data[AT]]
    await _take(manager, Decimal(line["left"]))


async def on_again(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask_from(manager, 0)


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    quantities = [Decimal(line.get("asked", "0")) for line in data[LINES]]
    if not any(quantities):
        await callback.answer(input_problem_text(InputProblem("nothing_to_deliver")), True)
        return
    async with ends_if_refused(manager, callback):
        note = await delivery.file_note(
            uow_of(manager),
            actor_id=person_of(manager).id,
            contract_id=int(data["contract"]),
            quantities=quantities,
            policy=policy_of(manager),
            now=now_of(manager),
        )
        data["seq"] = note.seq
        await manager.switch_to(DeliveryNoteSG.done)


async def line_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    lines, at = data[LINES], min(data[AT], len(data[LINES]) - 1)
    line = lines[at]
    return {
        "number": data["number"],
        "customer": data["customer"],
        "position": at + 1,
        "count": len(lines),
        "product": line["product"],
        "ordered": units(line["ordered"]),
        "delivered": units(line["delivered"]) if Decimal(line["delivered"]) else "0",
        "left": units(line["left"]),
    }


async def summary_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    summary = renderer_of(dialog_manager).render("delivery_form_summary", f=data)
    return {"summary": summary, "seq": data.get("seq", "")}


def delivery_note_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr(
                "<b>Delivery note · {number} · {customer}</b>\n"
                "Line {position} of {count}: <b>{product}</b>\n"
                "Ordered {ordered} · on notes so far {delivered} · left {left}\n"
                "How many on this note? (0 or Skip: none)"
            ),
            text_field("quantity", parse_note_quantity, on_quantity),
            Button(Label("All that is left: {left}"), id="all", on_click=on_all_left),
            Button(Label("⏭ Skip this line"), id="skip", on_click=on_skip),
            cancel_button(FormKind.request, ANSWERS),
            state=DeliveryNoteSG.quantity,
            getter=line_getter,
        ),
        Window(
            Format("{summary}"),
            Tr("\nFile it? The sales manager will be asked to sign it."),
            Button(Label("💾 File the note"), id="save", on_click=on_save),
            Button(Label("✏️ Quantities"), id="again", on_click=on_again),
            cancel_button(FormKind.request, ANSWERS),
            buttons_only(),
            state=DeliveryNoteSG.confirm,
            getter=summary_getter,
        ),
        Window(
            Tr("Delivery note No. {seq} filed. 🚚 The sales manager is asked to sign it."),
            Cancel(Label("Done")),
            buttons_only(),
            state=DeliveryNoteSG.done,
            getter=summary_getter,
        ),
        on_start=on_start,
        on_process_result=close_if_discarded,
    )
