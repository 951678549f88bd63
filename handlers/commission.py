"""Buttons on the commission sheet's card: ✅ Check, ↩️ Return (the reason typed next),
💸 Mark paid, and "Open the sheet". Who may act is decided in the use case."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, StartMode

from bot.core.errors import NotAllowed
from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import commission_chain
from bot.ui.commission_cards import CommissionAct, CommissionCb
from dialogs.common import open_below
from dialogs.starts import AtSheet
from dialogs.states import CommissionSG


def router() -> Router:
    r = Router(name="commission")
    r.callback_query.register(check, CommissionCb.filter(F.act == CommissionAct.check))
    r.callback_query.register(pay, CommissionCb.filter(F.act == CommissionAct.pay))
    r.callback_query.register(back, CommissionCb.filter(F.act == CommissionAct.back))
    r.callback_query.register(open_sheet, CommissionCb.filter(F.act == CommissionAct.open))
    return r


async def check(
    callback: CallbackQuery,
    callback_data: CommissionCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
) -> None:
    await commission_chain.check(
        uow, actor_id=person.id, sheet_id=callback_data.sheet, policy=policy, now=now
    )
    await callback.answer(_("Checked ✅"))


async def pay(
    callback: CallbackQuery,
    callback_data: CommissionCb,
    person: Person,
    uow: UnitOfWork,
    now: datetime,
) -> None:
    await commission_chain.mark_paid(
        uow, actor_id=person.id, sheet_id=callback_data.sheet, reference=None, now=now
    )
    await callback.answer(_("Marked paid 💸"))


async def back(
    callback: CallbackQuery,
    callback_data: CommissionCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    dialog_manager: DialogManager,
) -> None:
    screen = await commission_chain.sheet_screen(
        uow, actor_id=person.id, sheet_id=callback_data.sheet, policy=policy
    )
    if not screen.may_return:
        raise NotAllowed(action="check_commission")
    start = AtSheet(callback_data.sheet, back=True)
    await open_below(callback, dialog_manager, CommissionSG.reason, start, StartMode.RESET_STACK)


async def open_sheet(
    callback: CallbackQuery,
    callback_data: CommissionCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    dialog_manager: DialogManager,
) -> None:
    await commission_chain.sheet_screen(
        uow, actor_id=person.id, sheet_id=callback_data.sheet, policy=policy
    )
    start = AtSheet(callback_data.sheet)
    await open_below(callback, dialog_manager, CommissionSG.card, start, StartMode.RESET_STACK)
