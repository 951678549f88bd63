"""Buttons on the work order notices: the sales manager's "Sign", and "Open the work order"."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode

from bot.core.models import Person
from bot.core.ports import UnitOfWork
from bot.core.usecases import follow_on
from bot.ui.cards import WorkOrderAct, WorkOrderCb
from dialogs.common import open_below
from dialogs.starts import AtWorkOrder
from dialogs.states import WorkOrderSG


def router() -> Router:
    r = Router(name="follow_on")
    r.callback_query.register(sign, WorkOrderCb.filter(F.act == WorkOrderAct.sign))
    r.callback_query.register(open_order, WorkOrderCb.filter(F.act == WorkOrderAct.open))
    return r


async def sign(
    callback: CallbackQuery,
    callback_data: WorkOrderCb,
    person: Person,
    uow: UnitOfWork,
    now: datetime,
    dialog_manager: DialogManager,
) -> None:
    await follow_on.sign(uow, actor_id=person.id, order_id=callback_data.order, now=now)
    await _open(callback, callback_data, dialog_manager)


async def open_order(
    callback: CallbackQuery,
    callback_data: WorkOrderCb,
    person: Person,
    uow: UnitOfWork,
    dialog_manager: DialogManager,
) -> None:
    await follow_on.work_order_screen(uow, person.id, callback_data.order)
    await _open(callback, callback_data, dialog_manager)


async def _open(
    callback: CallbackQuery, callback_data: WorkOrderCb, dialog_manager: DialogManager
) -> None:
    start = AtWorkOrder(callback_data.order)
    await open_below(callback, dialog_manager, WorkOrderSG.card, start, StartMode.RESET_STACK)
