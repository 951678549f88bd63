"""The production and delivery sections of /pending: one short list per step that waits for
the reader; a tap opens the contract's or the note's screen."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import Whenable

from bot.core.usecases.delivery_access import ContractFile, NoteFile
from bot.core.usecases.delivery_queue import delivery_queue
from bot.i18n import N_
from bot.ui.fit import BUTTON_TEXT_MAX, clip
from bot.ui.text import Tr
from bot.ui.widgets import choice_list
from dialogs.common import person_of, policy_of, uow_of
from dialogs.starts import AtContract, AtNote
from dialogs.states import DeliverySG

# (the queue's section, its widget id, its heading, whether its items are notes)
SECTIONS = (
    ("production_to_sign", "pn", N_("<b>Production notices to sign: {pn_count}</b>"), False),
    ("goods_to_mark_ready", "gr", N_("<b>Goods to mark ready: {gr_count}</b>"), False),
    ("ready_to_deliver", "rd", N_("<b>Goods ready to deliver: {rd_count}</b>"), False),
    ("notes_to_sign", "ns", N_("<b>Delivery notes to sign: {ns_count}</b>"), True),
    ("notes_to_ship", "sh", N_("<b>Delivery notes to ship: {sh_count}</b>"), True),
    (
        "copies_to_receive",
        "cr",
        N_("<b>Signed delivery copies to bring back: {cr_count}</b>"),
        True,
    ),
    ("copies_to_book", "bk", N_("<b>Signed delivery copies to book: {bk_count}</b>"), True),
)


def _contract_item(f: ContractFile) -> tuple[int, str]:
    return f.contract.id, clip(
        f"📦 {f.contract.number or '—'} · {f.customer_name}", BUTTON_TEXT_MAX
    )


def _note_item(n: NoteFile) -> tuple[int, str]:
    number = n.file.contract.number or "—"
    return n.note.id, clip(f"🚚 {number}-{n.note.seq} · {n.file.customer_name}", BUTTON_TEXT_MAX)


async def delivery_pending(dialog_manager: DialogManager) -> dict[str, Any]:
    queue = await delivery_queue(
        uow_of(dialog_manager), person_of(dialog_manager).id, policy_of(dialog_manager)
    )
    found: dict[str, Any] = {"delivery_empty": queue.empty}
    for name, widget_id, _heading, notes in SECTIONS:
        items = getattr(queue, name)
        found[widget_id] = [_note_item(i) if notes else _contract_item(i) for i in items]
        found[f"{widget_id}_count"] = len(items)
    return found


async def on_contract(
    callback: CallbackQuery, _w: Any, manager: DialogManager, contract_id: int
) -> None:
    await manager.start(DeliverySG.contract, data=AtContract(contract_id).data())


async def on_note(callback: CallbackQuery, _w: Any, manager: DialogManager, note_id: int) -> None:
    await manager.start(DeliverySG.note, data=AtNote(note_id).data())


def delivery_sections() -> list[Whenable]:
    widgets: list[Whenable] = []
    for _name, widget_id, heading, notes in SECTIONS:
        widgets.append(Tr(heading, when=widget_id))
        widgets.append(choice_list(widget_id, widget_id, on_note if notes else on_contract))
    return widgets
