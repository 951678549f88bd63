"""Taps on approval cards. Approve decides at once; approving with an opinion, rejecting and
returning ask for the text first."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import approvals
from bot.core.usecases.approval_views import view_for
from bot.ui.cards import Act, ApprovalCb, RequestCb
from dialogs.common import open_below
from dialogs.starts import DecideStep, OpenRequest, TransferStep
from dialogs.states import ReasonSG, RequestViewSG, TransferSG


def router() -> Router:
    r = Router(name="approvals")
    r.callback_query.register(on_card, ApprovalCb.filter())
    r.callback_query.register(on_request, RequestCb.filter())
    return r


async def on_request(
    callback: CallbackQuery,
    callback_data: RequestCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    dialog_manager: DialogManager,
) -> None:
    """A request read-only, for whoever may read it (a CC'd colleague): checked before the
    form opens, so a forged id gets the refusal and no form."""
    await view_for(uow, person.id, callback_data.request, policy)
    await open_below(
        callback, dialog_manager, RequestViewSG.detail, OpenRequest(callback_data.request)
    )


async def on_card(
    callback: CallbackQuery,
    callback_data: ApprovalCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
    dialog_manager: DialogManager,
) -> None:
    if callback_data.act in (Act.transfer, Act.add):
        await approvals.ensure_decider(
            uow, step_id=callback_data.step, actor_id=person.id, policy=policy, now=now
        )
        start = TransferStep(callback_data.step, add=callback_data.act is Act.add)
        await open_below(callback, dialog_manager, TransferSG.person, start)
        return
    decision = callback_data.act.decision
    if not callback_data.act.asks_text:
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
    await open_below(
        callback, dialog_manager, ReasonSG.reason, DecideStep(callback_data.step, decision)
    )
