"""A contract's production and delivery screen, and one delivery note's: what stands, and the
step the reader may take now (sign, goods ready, file, goods out, signed copy, book, cancel),
each re-checked by its use case; the note as a PDF in the reader's language."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.deliveries import DeliveryNote
from bot.core.usecases import delivery, production
from bot.core.usecases.delivery import NoteAction
from bot.documents.delivery_note import delivery_note_document, delivery_note_filename
from bot.documents.files import pdf_file
from bot.documents.pdf import render_pdf
from bot.i18n import N_
from bot.rendering import units
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.starts import AtContract, AtNote
from dialogs.states import DeliveryNoteSG, DeliverySG


def count(quantity: Decimal) -> str:
    """A quantity on a screen of quantities: none is 0 here, not a dash."""
    return units(quantity) if quantity else "0"


def _contract_id(manager: DialogManager) -> int:
    return int(manager.dialog_data["contract"])


def _note_id(manager: DialogManager) -> int:
    return int(manager.dialog_data["note"])


async def on_start(data: Any, manager: DialogManager) -> None:
    """Opened on a contract or a note its caller checked."""
    at_note = AtNote.read(data)
    if at_note is not None:
        sheet = await delivery.note_sheet(
            uow_of(manager), person_of(manager).id, at_note.note, policy_of(manager)
        )
        manager.dialog_data.update(note=at_note.note, contract=sheet.note.file.contract.id)
        return
    at_contract = AtContract.read(data)
    manager.dialog_data["contract"] = at_contract.contract if at_contract else 0


def _status_word(note: DeliveryNote) -> str:
    return {
        "filed": "📝",
        "signed": "✍️",
        "shipped": "🚚",
        "copy_received": "📷",
        "booked": "📒",
        "cancelled": "✖️",
    }[note.status.value]


async def contract_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    sheet = await delivery.contract_sheet(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        _contract_id(dialog_manager),
        policy_of(dialog_manager),
    )
    file, contract = sheet.file, sheet.file.contract
    c = {
        **production.contract_params(file),
        "production_signed_at": contract.production_signed_at,
        "goods_ready_at": contract.goods_ready_at,
        "notes": len(sheet.notes),
        "lines": [
            {
                "product": line.product,
                "ordered": count(line.quantity),
                "delivered": count(done),
                "left": count(left),
            }
            for line, done, left in zip(contract.lines, file.delivered, file.remaining, strict=True)
        ],
    }
    screen = renderer_of(dialog_manager).render_within("delivery_contract", {"c": c}, WINDOW_LIMIT)
    notes = [
        (n.id, _("%(mark)s Note No. %(seq)s") % {"mark": _status_word(n), "seq": n.seq})
        for n in sheet.notes
    ]
    return {
        "screen": screen,
        "notes": notes,
        "may_sign": sheet.may_sign_production,
        "may_ready": sheet.may_mark_ready,
        "may_file": sheet.may_file,
    }


async def note_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    sheet = await delivery.note_sheet(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        _note_id(dialog_manager),
        policy_of(dialog_manager),
    )
    nf, note = sheet.note, sheet.note.note
    n = {
        **delivery.note_params(note, nf.file),
        "filed_by": nf.filed_by,
        "filed_at": note.filed_at,
        "signed_by": nf.signed_by,
        "signed_at": note.signed_at,
        "shipped_at": note.shipped_at,
        "copy_at": note.copy_at,
        "booked_by": nf.booked_by,
        "booked_at": note.booked_at,
    }
    screen = renderer_of(dialog_manager).render_within("delivery_note", {"n": n}, WINDOW_LIMIT)
    return {"screen": screen, **{f"may_{a.value}": a in sheet.actions for a in NoteAction}}


async def on_sign_production(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=DeliverySG.contract):
        await production.sign_production(
            uow_of(manager),
            actor_id=person_of(manager).id,
            contract_id=_contract_id(manager),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await callback.answer(_("Production notice signed ✅"))


async def on_goods_ready(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=DeliverySG.contract):
        await production.record_goods_ready(
            uow_of(manager),
            actor_id=person_of(manager).id,
            contract_id=_contract_id(manager),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await callback.answer(_("Goods recorded as ready 📦"))


async def on_file(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    contract_id = _contract_id(manager)
    async with ends_if_refused(manager, callback, back_to=DeliverySG.contract):
        await delivery.filing_file(
            uow_of(manager), person_of(manager).id, contract_id, policy_of(manager)
        )
        await manager.start(DeliveryNoteSG.quantity, data=AtContract(contract_id).data())


async def on_note(callback: CallbackQuery, _w: Any, manager: DialogManager, note_id: int) -> None:
    async with ends_if_refused(manager, callback, back_to=DeliverySG.contract):
        await delivery.note_sheet(
            uow_of(manager), person_of(manager).id, note_id, policy_of(manager)
        )
        manager.dialog_data["note"] = note_id
        await manager.switch_to(DeliverySG.note)


NoteMove = Callable[..., Awaitable[DeliveryNote]]
MOVES: dict[str, tuple[NoteMove, str]] = {
    "sign": (delivery.sign_delivery, N_("Delivery note signed ✅")),
    "ship": (delivery.ship_delivery, N_("Goods out recorded 🚚")),
    "book": (delivery.book_delivery, N_("Delivery booked 📒")),
    "cancel": (delivery.cancel_delivery, N_("Delivery note cancelled")),
}


async def on_move(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    move, done = MOVES[button.widget_id or ""]
    async with ends_if_refused(manager, callback, back_to=DeliverySG.note):
        await move(
            uow_of(manager),
            actor_id=person_of(manager).id,
            note_id=_note_id(manager),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await callback.answer(_(done))


async def on_copy(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    if message.photo:
        file_id = message.photo[-1].file_id
    elif message.document:
        file_id = message.document.file_id
    else:
        await message.answer(_("Please send a photo of the customer's signed copy, or the file."))
        return
    async with ends_if_refused(manager, message, back_to=DeliverySG.note):
        await delivery.receive_signed_copy(
            uow_of(manager),
            actor_id=person_of(manager).id,
            note_id=_note_id(manager),
            file_id=file_id,
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await message.answer(_("Signed copy recorded 📷 Finance is asked to book the delivery."))
        await manager.switch_to(DeliverySG.note)


async def on_pdf(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    sheet = await delivery.note_sheet(
        uow_of(manager), person_of(manager).id, _note_id(manager), policy_of(manager)
    )
    document = delivery_note_document(sheet.note, policy_of(manager).tz)
    data = await asyncio.to_thread(render_pdf, document)
    if callback.message is not None and callback.bot is not None:
        file = pdf_file(data, delivery_note_filename(sheet.note))
        await callback.bot.send_document(callback.message.chat.id, file)
    await callback.answer()


def _move_button(label: str, action: NoteAction) -> Button:
    return Button(Label(label), id=action.value, on_click=on_move, when=f"may_{action.value}")


def delivery_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{screen}"),
            Button(
                Label("✍️ Sign the production notice"),
                id="sign_pn",
                on_click=on_sign_production,
                when="may_sign",
            ),
            Button(
                Label("📦 The goods are ready"),
                id="ready",
                on_click=on_goods_ready,
                when="may_ready",
            ),
            Button(Label("📝 File a delivery note"), id="file", on_click=on_file, when="may_file"),
            choice_list("notes", "nt", on_note),
            Cancel(Label("Close")),
            buttons_only(),
            state=DeliverySG.contract,
            getter=contract_getter,
        ),
        Window(
            Format("{screen}"),
            _move_button(N_("✍️ Sign the delivery note"), NoteAction.sign),
            _move_button(N_("🚚 Goods out"), NoteAction.ship),
            SwitchTo(
                Label("📷 The customer's signed copy"),
                id="copy",
                state=DeliverySG.copy,
                when="may_copy",
            ),
            _move_button(N_("📒 Book the delivery"), NoteAction.book),
            _move_button(N_("✖️ Cancel the note"), NoteAction.cancel),
            Button(Label("📄 PDF"), id="pdf", on_click=on_pdf),
            SwitchTo(Label("◀ The contract"), id="tocontract", state=DeliverySG.contract),
            Cancel(Label("Close")),
            buttons_only(),
            state=DeliverySG.note,
            getter=note_getter,
        ),
        Window(
            Tr("Send a photo of the customer's signed copy of the note (or the scanned file)."),
            MessageInput(on_copy, content_types=[ContentType.PHOTO, ContentType.DOCUMENT]),
            MessageInput(on_copy),
            SwitchTo(Label("◀ Back to the note"), id="tonote", state=DeliverySG.note),
            state=DeliverySG.copy,
        ),
        on_start=on_start,
    )


async def open_contract(manager: DialogManager, contract_id: int) -> None:
    await manager.start(
        DeliverySG.contract, data=AtContract(contract_id).data(), mode=StartMode.NORMAL
    )
