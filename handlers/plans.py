"""Taps on plan cards (the manager's review) and on target notifications (the rep's receipt)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, StartMode

from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import plans, targets
from bot.ui.cards import PlanAct, PlanCb, TargetCb
from dialogs.common import open_below
from dialogs.starts import ReviewPlan
from dialogs.states import TeamPlansSG


def router() -> Router:
    r = Router(name="plans")
    r.callback_query.register(on_plan_card, PlanCb.filter())
    r.callback_query.register(on_target, TargetCb.filter())
    return r


async def on_plan_card(
    callback: CallbackQuery,
    callback_data: PlanCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
    dialog_manager: DialogManager,
) -> None:
    if callback_data.act is PlanAct.approve:
        await plans.review(
            uow,
            actor_id=person.id,
            plan_id=callback_data.plan,
            action="approve",
            comment=None,
            policy=policy,
            now=now,
        )
        await callback.answer(_("Approved ✅"))
        return
    await plans.reviewable(uow, person.id, callback_data.plan)
    start = ReviewPlan(callback_data.plan, callback_data.act.review_action)
    await open_below(callback, dialog_manager, TeamPlansSG.comment, start, StartMode.RESET_STACK)


async def on_target(
    callback: CallbackQuery, callback_data: TargetCb, person: Person, uow: UnitOfWork, now: datetime
) -> None:
    await targets.confirm_target(uow, actor_id=person.id, target_id=callback_data.target, now=now)
    await callback.answer(_("Thank you: confirmed."))
    if isinstance(callback.message, Message):  # one too old to reach cannot be edited either
        await callback.message.edit_reply_markup(reply_markup=None)
