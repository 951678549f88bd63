from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.roles import Role
from bot.core.usecases import reassign, team
from dialogs.common import now_of, person_of, policy_of, uow_of
from dialogs.states import TeamSG


async def _refuse(callback: CallbackQuery) -> None:
    await callback.answer(_("Sorry, your role does not allow that."), show_alert=True)


async def on_person(
    callback: CallbackQuery, _widget: Select[int], manager: DialogManager, person_id: int
) -> None:
    await team.member_to_change(uow_of(manager), person_of(manager).id, person_id)
    manager.dialog_data["person_id"] = person_id
    await manager.switch_to(TeamSG.person)


async def on_page(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    step = 1 if button.widget_id == "next" else -1
    manager.dialog_data["page"] = max(0, manager.dialog_data.get("page", 0) + step)


async def on_role(
    callback: CallbackQuery, _widget: Select[str], manager: DialogManager, role: str
) -> None:
    if role not in Role.__members__:
        await _refuse(callback)
        return
    manager.dialog_data["role"] = role
    await manager.switch_to(TeamSG.role_confirm)


async def on_role_confirmed(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """A role decides what a person may see and approve: changed only once confirmed."""
    await team.change_role(
        uow_of(manager),
        actor_id=person_of(manager).id,
        person_id=manager.dialog_data["person_id"],
        role=Role(manager.dialog_data["role"]),
        now=now_of(manager),
    )
    await manager.switch_to(TeamSG.person)


async def _move(callback: CallbackQuery, manager: DialogManager, manager_id: int | None) -> None:
    await team.change_manager(
        uow_of(manager),
        actor_id=person_of(manager).id,
        person_id=manager.dialog_data["person_id"],
        manager_id=manager_id,
        now=now_of(manager),
    )
    await manager.switch_to(TeamSG.person)


async def on_manager(
    callback: CallbackQuery, _widget: Select[int], manager: DialogManager, manager_id: int
) -> None:
    await _move(callback, manager, manager_id)


async def on_top(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await _move(callback, manager, None)


async def on_deactivate(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await reassign.deactivate(
        uow_of(manager),
        actor_id=person_of(manager).id,
        person_id=manager.dialog_data["person_id"],
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await manager.switch_to(TeamSG.person)


async def on_reactivate(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await team.reactivate(
        uow_of(manager),
        actor_id=person_of(manager).id,
        person_id=manager.dialog_data["person_id"],
        now=now_of(manager),
    )
