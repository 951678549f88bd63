from __future__ import annotations

from datetime import timedelta

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.models import Invite
from bot.core.roles import Role
from bot.core.usecases import team
from bot.labels import day_label
from dialogs.common import now_of, person_of, policy_of, uow_of
from dialogs.states import InviteSG


async def on_name(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, name: str
) -> None:
    manager.dialog_data["name"] = name
    await manager.switch_to(InviteSG.role)


async def on_open_invite(
    callback: CallbackQuery, _widget: Select[str], manager: DialogManager, code: str
) -> None:
    invite, manager_name = await team.open_invite(
        uow_of(manager), person_of(manager).id, code, now_of(manager)
    )
    manager.dialog_data.update(name=invite.name, manager_name=manager_name)
    await _show_link(manager, invite)


async def _show_link(manager: DialogManager, invite: Invite) -> None:
    expires = invite.expires_at.astimezone(policy_of(manager).tz)
    manager.dialog_data.update(
        code=invite.code, role=invite.role.value, expires=day_label(expires, clock=True)
    )
    await manager.switch_to(InviteSG.done)


async def on_role(
    callback: CallbackQuery, _widget: Select[str], manager: DialogManager, role: str
) -> None:
    roles, _people = await team.invite_targets(uow_of(manager), person_of(manager).id)
    if role not in {r.value for r in roles}:
        await callback.answer(_("Sorry, your role does not allow that."), show_alert=True)
        return
    manager.dialog_data["role"] = role
    await manager.switch_to(InviteSG.manager)


async def on_manager(
    callback: CallbackQuery, _widget: Select[int], manager: DialogManager, manager_id: int
) -> None:
    _roles, people = await team.invite_targets(uow_of(manager), person_of(manager).id)
    chosen = next((p for p in people if p.id == manager_id), None)
    if chosen is None:
        await callback.answer(_("Sorry, your role does not allow that."), show_alert=True)
        return
    manager.dialog_data.update(manager_id=chosen.id, manager_name=chosen.full_name)
    await manager.switch_to(InviteSG.confirm)


async def on_top_level(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(manager_id=None, manager_name=None)
    await manager.switch_to(InviteSG.confirm)


async def on_create(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.dialog_data
    if not data.get("name"):  # a form begun before invites asked for the name
        await manager.switch_to(InviteSG.name)
        return
    invite = await team.create_invite(
        uow_of(manager),
        actor_id=person_of(manager).id,
        name=data["name"],
        role=Role(data["role"]),
        reports_to=data.get("manager_id"),
        ttl=timedelta(days=policy_of(manager).invite_ttl_days),
        now=now_of(manager),
    )
    await _show_link(manager, invite)


async def on_again(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data.clear()
    await manager.switch_to(InviteSG.name)
