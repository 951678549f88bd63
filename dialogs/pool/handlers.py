from __future__ import annotations

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.usecases import pool
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, tell, uow_of
from dialogs.states import PoolSG


def _customer(manager: DialogManager) -> int:
    return int(manager.dialog_data["customer"])


async def on_search(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, query: str
) -> None:
    manager.dialog_data.update(query=query, page=0)


async def on_open(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, customer_id: int
) -> None:
    async with ends_if_refused(manager, callback, back_to=PoolSG.list):
        await pool.pooled_customer(uow_of(manager), person_of(manager).id, customer_id)
        manager.dialog_data["customer"] = customer_id
        await manager.switch_to(PoolSG.card)


async def on_claim(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=PoolSG.card):
        taken = await pool.claim(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await tell(callback, _("✅ %(name)s is your customer now.") % {"name": taken.name})
        await manager.switch_to(PoolSG.list)


async def on_assign(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, owner_id: int
) -> None:
    async with ends_if_refused(manager, callback, back_to=PoolSG.card):
        taken = await pool.assign(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=_customer(manager),
            owner_id=owner_id,
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await tell(callback, _("✅ %(name)s is assigned.") % {"name": taken.name})
        await manager.switch_to(PoolSG.list)
