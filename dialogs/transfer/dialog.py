"""A card's 🔀 Transfer (转交): pick who decides the step instead, say why, hand it over. Its
➕ Add approver (加签): pick whom to ask, before or after you, say why."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, LaunchMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.errors import DomainError
from bot.core.models import Person
from bot.core.usecases import add_approver, transfer
from bot.core.usecases.add_approver import Placement
from bot.labels import role_label
from bot.ui.errors import explain
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import choice_list, text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.starts import TransferStep
from dialogs.states import TransferSG

REASON_MAX = transfer.REASON_MAX


async def _candidates(manager: DialogManager) -> list[tuple[int, str]]:
    start = TransferStep.read(manager.start_data)
    find = add_approver.add_candidates if start.add else transfer.transfer_candidates
    people: list[Person] = await find(
        uow_of(manager),
        step_id=start.step,
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    return [(p.id, f"{p.full_name} · {role_label(p.role)}") for p in people]


async def person_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    adding = TransferStep.read(dialog_manager.start_data).add
    try:
        items = await _candidates(dialog_manager)
    except DomainError as error:  # decided or handed on meanwhile: say so, offer nobody
        items, gone = [], explain(error)
    else:
        gone = ""
    return {
        "items": items,
        "empty": not items and not gone,
        "gone": gone,
        "transferring": bool(items) and not adding,
        "asking": bool(items) and adding,
    }


async def reason_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    adding = TransferStep.read(dialog_manager.start_data).add
    return {
        "name": dialog_manager.dialog_data.get("name", "—"),
        "limit": REASON_MAX,
        "adding": adding,
        "handing": not adding,
    }


async def on_person(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, person_id: int
) -> None:
    names = dict(await _candidates(manager))
    if person_id not in names:
        await callback.answer(_("That person cannot take this step."), show_alert=True)
        return
    manager.dialog_data.update(to=person_id, name=names[person_id].split(" · ")[0])
    adding = TransferStep.read(manager.start_data).add
    await manager.switch_to(TransferSG.placement if adding else TransferSG.reason)


async def on_placement(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["placement"] = Placement(button.widget_id or "").value
    await manager.switch_to(TransferSG.reason)


async def on_reason(
    message: Message, _widget: ManagedTextInput[str], manager: DialogManager, reason: str
) -> None:
    start = TransferStep.read(manager.start_data)
    name = manager.dialog_data.get("name", "—")
    async with ends_if_refused(manager, message):
        if start.add:
            placement = Placement(manager.dialog_data.get("placement", Placement.after.value))
            await add_approver.add_approver(
                uow_of(manager),
                step_id=start.step,
                actor_id=person_of(manager).id,
                person_id=int(manager.dialog_data["to"]),
                placement=placement,
                reason=reason,
                policy=policy_of(manager),
                now=now_of(manager),
            )
            done = (
                _(
                    "%(name)s reviews it first; then it comes back to you. The requester has been told."
                )
                if placement is Placement.before
                else _("%(name)s reviews it after you decide. The requester has been told.")
            )
        else:
            await transfer.transfer(
                uow_of(manager),
                step_id=start.step,
                actor_id=person_of(manager).id,
                to_id=int(manager.dialog_data["to"]),
                reason=reason,
                policy=policy_of(manager),
                now=now_of(manager),
            )
            done = _("Transferred to %(name)s, who has the card now. The requester has been told.")
        await message.answer(done % {"name": name})
        await manager.done()


def transfer_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("Who should decide this step instead of you?", when="transferring"),
            Tr("Whom do you want to ask to review this request?", when="asking"),
            Tr("Nobody else may take this step.", when="empty"),
            Format("{gone}", when="gone"),
            choice_list("items", "to", on_person),
            Cancel(Label("✖ Cancel")),
            state=TransferSG.person,
            getter=person_getter,
        ),
        Window(
            Tr("Should {name} review it before you or after you?"),
            Button(Label("⬆️ Before me"), id=Placement.before.value, on_click=on_placement),
            Button(Label("⬇️ After me"), id=Placement.after.value, on_click=on_placement),
            SwitchTo(Label("◀ Back"), id="back", state=TransferSG.person),
            Cancel(Label("✖ Cancel")),
            state=TransferSG.placement,
            getter=reason_getter,
        ),
        Window(
            Tr("Why hand it to {name}? Type the reason, up to {limit} characters.", when="handing"),
            Tr("What should {name} look at? Type it, up to {limit} characters.", when="adding"),
            text_field("reason", text_up_to(REASON_MAX), on_reason),
            SwitchTo(Label("◀ Back"), id="back", state=TransferSG.person),
            Cancel(Label("✖ Cancel")),
            state=TransferSG.reason,
            getter=reason_getter,
        ),
        launch_mode=LaunchMode.SINGLE_TOP,
    )
