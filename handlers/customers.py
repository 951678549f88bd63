"""Buttons on notifications that open a customer or start a visit for them."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode

from bot.core.models import Person
from bot.core.ports import UnitOfWork
from bot.core.usecases.customer_register import readable_customer, visible_customer
from bot.ui.cards import CustomerCb, VisitCb
from dialogs.common import open_below
from dialogs.starts import AtCustomer
from dialogs.states import CustomerSG, VisitSG


def router() -> Router:
    r = Router(name="customers")
    r.callback_query.register(start_visit, VisitCb.filter())
    r.callback_query.register(open_customer, CustomerCb.filter())
    return r


async def start_visit(
    callback: CallbackQuery,
    callback_data: VisitCb,
    person: Person,
    uow: UnitOfWork,
    dialog_manager: DialogManager,
) -> None:
    await visible_customer(uow, person.id, callback_data.customer)
    start = AtCustomer(callback_data.customer)
    await open_below(callback, dialog_manager, VisitSG.customer, start, StartMode.RESET_STACK)


async def open_customer(
    callback: CallbackQuery,
    callback_data: CustomerCb,
    person: Person,
    uow: UnitOfWork,
    dialog_manager: DialogManager,
) -> None:
    await readable_customer(uow, person.id, callback_data.customer)
    start = AtCustomer(callback_data.customer)
    await open_below(callback, dialog_manager, CustomerSG.card, start, StartMode.RESET_STACK)
