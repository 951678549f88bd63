"""Buttons on the order flow's notifications: the accountant's "record the deposit", finance's
"co-sign"."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, StartMode

from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import contract_application, orders
from bot.ui.cards import ContractAct, ContractCb, DealAct, DealCb
from dialogs.common import open_below
from dialogs.starts import AtDeal
from dialogs.states import DepositSG


def router() -> Router:
    r = Router(name="orders")
    r.callback_query.register(record_deposit, DealCb.filter(F.act == DealAct.deposit))
    r.callback_query.register(cosign, ContractCb.filter(F.act == ContractAct.cosign))
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


async def cosign(
    callback: CallbackQuery,
    callback_data: ContractCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
) -> None:
    """One tap, as an approval: finance co-signs the contract on its message."""
    signed = await contract_application.cosign(
        uow, actor_id=person.id, contract_id=callback_data.contract, policy=policy, now=now
    )
    await callback.answer(_("Co-signed ✅ {number} is in the ledger.").format(number=signed.number))
