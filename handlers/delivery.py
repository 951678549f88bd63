"""Buttons on the production and delivery notifications: sign the production notice or the
delivery note in one tap, or open the contract's or the note's screen below the message (the
screen then shows what was signed)."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager

from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import delivery, production
from bot.ui.cards import NoteAct, NoteCb, ProductionAct, ProductionCb
from dialogs.common import open_below
from dialogs.starts import AtContract, AtNote
from dialogs.states import DeliverySG


def router() -> Router:
    r = Router(name="delivery")
    r.callback_query.register(sign_production, ProductionCb.filter(F.act == ProductionAct.sign))
    r.callback_query.register(open_contract, ProductionCb.filter(F.act == ProductionAct.open))
    r.callback_query.register(sign_note, NoteCb.filter(F.act == NoteAct.sign))
    r.callback_query.register(open_note, NoteCb.filter(F.act == NoteAct.open))
    return r


async def sign_production(
    callback: CallbackQuery,
    callback_data: ProductionCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
    dialog_manager: DialogManager,
) -> None:
    contract_id = callback_data.contract
    await production.sign_production(
        uow, actor_id=person.id, contract_id=contract_id, policy=policy, now=now
    )
    await open_below(callback, dialog_manager, DeliverySG.contract, AtContract(contract_id))


async def open_contract(
    callback: CallbackQuery,
    callback_data: ProductionCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    dialog_manager: DialogManager,
) -> None:
    contract_id = callback_data.contract
    await delivery.contract_sheet(uow, person.id, contract_id, policy)
    await open_below(callback, dialog_manager, DeliverySG.contract, AtContract(contract_id))


async def sign_note(
    callback: CallbackQuery,
    callback_data: NoteCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
    dialog_manager: DialogManager,
) -> None:
    note_id = callback_data.note
    await delivery.sign_delivery(uow, actor_id=person.id, note_id=note_id, policy=policy, now=now)
    await open_below(callback, dialog_manager, DeliverySG.note, AtNote(note_id))


async def open_note(
    callback: CallbackQuery,
    callback_data: NoteCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    dialog_manager: DialogManager,
) -> None:
    await delivery.note_sheet(uow, person.id, callback_data.note, policy)
    await open_below(callback, dialog_manager, DeliverySG.note, AtNote(callback_data.note))
