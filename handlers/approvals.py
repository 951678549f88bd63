"""Taps on approval cards. Approve decides at once; reject and return ask for the reason first."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.core.approvals import Decision
from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import approvals
from bot.ui.cards import ApprovalCb
from dialogs.states import ReasonSG


def router() -> Router:
    r = Router(name="approvals")
    r.callback_query.register(on_card, ApprovalCb.filter())
    return r


async def on_card(
    callback: CallbackQuery,
    callback_data: ApprovalCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
    dialog_manager: DialogManager,
) -> None:
    decision = callback_data.act.decision
    if decision is Decision.approve:
        await approvals.decide(
            uow,
            step_id=callback_data.step,
            actor_id=person.id,
            decision=decision,
            comment=None,
            policy=policy,
            now=now,
        )
        await callback.answer(_("Approved ✅"))
        return
    await approvals.ensure_decider(
        uow, step_id=callback_data.step, actor_id=person.id, policy=policy, now=now
    )
    await callback.answer()
    await dialog_manager.bg().start(
        ReasonSG.reason,
        data={"step": callback_data.step, "decision": decision.value},
        mode=StartMode.NORMAL,
        # Started in the background, not from the tap: the card keeps its buttons and the
        # question comes below it.
        show_mode=ShowMode.SEND,
    )
