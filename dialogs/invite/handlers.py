from __future__ import annotations

from datetime import timedelta

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import team
from dialogs.common import now_of, person_of, uow_of
from dialogs.states import InviteSG


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
    policy: Policy = manager.middleware_data["policy"]
    data = manager.dialog_data
    invite = await team.create_invite(
        uow_of(manager),
        actor_id=person_of(manager).id,
        role=Role(data["role"]),
        reports_to=data.get("manager_id"),
        ttl=timedelta(days=policy.invite_ttl_days),
        now=now_of(manager),
    )
    data["code"] = invite.code
    data["expires"] = invite.expires_at.astimezone(policy.tz).strftime("%Y-%m-%d %H:%M")
    await manager.switch_to(InviteSG.done)


async def on_again(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data.clear()
    await manager.switch_to(InviteSG.role)
