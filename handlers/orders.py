"""Buttons on the order flow's notifications: the accountant's "record the deposit"."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode

from bot.core.models import Person
from bot.core.ports import UnitOfWork
from bot.core.usecases import orders
from bot.ui.cards import DealAct, DealCb
from dialogs.common import open_below
from dialogs.starts import AtDeal
from dialogs.states import DepositSG


def router() -> Router:
    r = Router(name="orders")
    r.callback_query.register(record_deposit, DealCb.filter(F.act == DealAct.deposit))
    return r


async def record_deposit(
    callback: CallbackQuery,
    callback_data: DealCb,
    person: Person,
    uow: UnitOfWork,
    dialog_manager: DialogManager,
) -> None:
    await orders.deposit_file(uow, person.id, callback_data.deal)
    start = AtDeal(callback_data.deal)
    await open_below(callback, dialog_manager, DepositSG.amount, start, StartMode.RESET_STACK)
