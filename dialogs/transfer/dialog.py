"""A card's 🔀 Transfer (转交): pick who decides the step instead, say why, hand it over."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, LaunchMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Cancel, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.errors import DomainError
from bot.core.usecases import transfer
from bot.labels import role_label
from bot.ui.errors import explain
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import choice_list, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.starts import TransferStep
from dialogs.states import TransferSG


async def _candidates(manager: DialogManager) -> list[tuple[int, str]]:
    people = await transfer.transfer_candidates(
        uow_of(manager),
        step_id=TransferStep.read(manager.start_data).step,
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    return [(p.id, f"{p.full_name} · {role_label(p.role)}") for p in people]


async def person_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        items = await _candidates(dialog_manager)
    except DomainError as error:  # decided or handed on meanwhile: say so, offer nobody
        return {"items": [], "empty": False, "gone": explain(error)}
    return {"items": items, "empty": not items, "gone": ""}


async def reason_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    return {"name": dialog_manager.dialog_data.get("name", "—"), "limit": transfer.REASON_MAX}


async def on_person(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, person_id: int
) -> None:
    names = dict(await _candidates(manager))
    if person_id not in names:
        await callback.answer(_("That person cannot decide this step."), show_alert=True)
        return
    manager.dialog_data.update(to=person_id, name=names[person_id].split(" · ")[0])
    await manager.switch_to(TransferSG.reason)


async def on_reason(
    message: Message, _widget: ManagedTextInput[str], manager: DialogManager, reason: str
) -> None:
    async with ends_if_refused(manager, message):
        await transfer.transfer(
            uow_of(manager),
            step_id=TransferStep.read(manager.start_data).step,
            actor_id=person_of(manager).id,
            to_id=int(manager.dialog_data["to"]),
            reason=reason,
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await message.answer(
            _("Transferred to %(name)s, who has the card now. The requester has been told.")
            % {"name": manager.dialog_data.get("name", "—")}
        )
        await manager.done()


def transfer_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("Who should decide this step instead of you?", when="items"),
            Tr("Nobody else may decide this step.", when="empty"),
            Format("{gone}", when="gone"),
            choice_list("items", "to", on_person),
            Cancel(Label("✖ Cancel")),
            state=TransferSG.person,
            getter=person_getter,
        ),
        Window(
            Tr("Why hand it to {name}? Type the reason, up to {limit} characters."),
            text_field("reason", text_up_to(transfer.REASON_MAX), on_reason),
            SwitchTo(Label("◀ Back"), id="back", state=TransferSG.person),
            Cancel(Label("✖ Cancel")),
            state=TransferSG.reason,
            getter=reason_getter,
        ),
        launch_mode=LaunchMode.SINGLE_TOP,
    )
