"""Taps on plan cards (the manager's review), on target notifications (the rep's receipt) and
on the meeting pack message (the PDF, the training topic)."""

from __future__ import annotations

from datetime import date, datetime

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, StartMode

from bot.core.errors import InvalidChange, NotAllowed
from bot.core.models import Person
from bot.core.policy import Policy
from bot.core.ports import UnitOfWork
from bot.core.usecases import meeting, plans, review, targets
from bot.labels import grade_label
from bot.ui.cards import (
    MeetingAct,
    MeetingCb,
    PlanAct,
    PlanCb,
    ReviewAct,
    ReviewCb,
    TargetCb,
)
from dialogs.common import open_below
from dialogs.plan.meeting import send_pack
from dialogs.starts import EditTopic, OpenReview, ReviewPlan
from dialogs.states import ReviewSG, TeamPlansSG


def router() -> Router:
    r = Router(name="plans")
    r.callback_query.register(on_plan_card, PlanCb.filter())
    r.callback_query.register(on_target, TargetCb.filter())
    r.callback_query.register(on_meeting, MeetingCb.filter())
    r.callback_query.register(on_review, ReviewCb.filter())
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


async def on_meeting(
    callback: CallbackQuery,
    callback_data: MeetingCb,
    person: Person,
    uow: UnitOfWork,
    policy: Policy,
    now: datetime,
    bot: Bot,
    dialog_manager: DialogManager,
) -> None:
    if callback_data.act is MeetingAct.topic:
        await meeting.topic_view(uow, actor_id=person.id, policy=policy, now=now)
        await open_below(
            callback, dialog_manager, TeamPlansSG.topic, EditTopic(), StartMode.RESET_STACK
        )
        return
    week = date.fromordinal(callback_data.week)
    pack = await meeting.meeting_pack(uow, actor_id=person.id, policy=policy, now=now, week=week)
    await send_pack(bot, callback.from_user.id, pack, policy, now)
    await callback.answer()


async def on_review(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    person: Person,
    uow: UnitOfWork,
    now: datetime,
    dialog_manager: DialogManager,
) -> None:
    """A performance review's buttons: the rep's comment, the manager's grade."""
    view = await review.review_view(uow, actor_id=person.id, review_id=callback_data.review)
    allowed = view.can_comment if callback_data.act is ReviewAct.comment else view.can_grade
    if not allowed:
        raise InvalidChange("already_graded") if view.review.grade else NotAllowed()
    if callback_data.act is ReviewAct.accept:
        graded = await review.grade_review(
            uow,
            actor_id=person.id,
            review_id=view.review.id,
            chosen=view.review.suggested,
            reason=None,
            now=now,
        )
        await callback.answer(_("Graded: %(grade)s") % {"grade": grade_label(graded.suggested)})
        if isinstance(callback.message, Message):
            await callback.message.edit_reply_markup(reply_markup=None)
        return
    state = ReviewSG.comment if callback_data.act is ReviewAct.comment else ReviewSG.grade
    await open_below(
        callback, dialog_manager, state, OpenReview(view.review.id), StartMode.RESET_STACK
    )
