from __future__ import annotations

from typing import Any
from urllib.parse import quote

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.roles import Role
from bot.core.usecases import team
from bot.labels import day_label, role_label
from dialogs.common import now_of, person_of, policy_of, uow_of

NO_MANAGER = 0


async def name_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    tz = policy_of(dialog_manager).tz
    waiting = await team.open_invites(
        uow_of(dialog_manager), person_of(dialog_manager).id, now_of(dialog_manager)
    )
    items = [
        (
            invite.code,
            _("%(name)s · %(role)s · until %(day)s")
            % {
                "name": invite.name or "—",
                "role": role_label(invite.role),
                "day": day_label(invite.expires_at.astimezone(tz)),
            },
        )
        for invite, _manager in waiting
    ]
    return {"open": items, "any_open": bool(items)}


async def roles_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    roles, _people = await team.invite_targets(uow_of(dialog_manager), person_of(dialog_manager).id)
    return {
        "name": dialog_manager.dialog_data.get("name") or "—",
        "roles": [(role.value, role_label(role)) for role in roles],
    }


async def managers_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    actor = person_of(dialog_manager)
    _roles, people = await team.invite_targets(uow_of(dialog_manager), actor.id)
    data = dialog_manager.dialog_data
    return {
        "name": data.get("name") or "—",
        "role": role_label(Role(data["role"])),
        "managers": [(p.id, f"{p.full_name} · {role_label(p.role)}") for p in people],
        "may_be_top": actor.is_admin,
    }


async def confirm_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {
        "name": data.get("name") or "—",
        "role": role_label(Role(data["role"])),
        "manager": data.get("manager_name") or "—",
    }


async def done_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    bot = dialog_manager.middleware_data["bot"]
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={data['code']}"
    return {
        "link": link,
        "share": f"https://t.me/share/url?url={quote(link, safe='')}",
        "expires": data["expires"],
        "name": data.get("name") or "—",
        "role": role_label(Role(data["role"])),
        "manager": data.get("manager_name") or "—",
    }
