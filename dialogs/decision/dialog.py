"""Asks why a request is rejected or returned, or the opinion signed with an approval, then
decides."""

from __future__ import annotations

from functools import partial
from typing import Any

from aiogram import F
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, LaunchMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Cancel

from bot.core.approvals import Decision, RequestStatus, RequestView
from bot.core.deals import COMMENT_MAX
from bot.core.errors import DomainError
from bot.core.usecases import approvals
from bot.ui.errors import explain
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import text_up_to
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.starts import DecideStep
from dialogs.states import ReasonSG


async def reason_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    start = DecideStep.read(dialog_manager.start_data)
    view = await _request_of(dialog_manager, start.step)
    return {
        "rejecting": start.decision is Decision.reject,
        "approving": start.decision is Decision.approve,
        "customer": view.customer_name if view else "—",
        "request_id": view.request.id if view else 0,
        "limit": COMMENT_MAX,
    }


async def on_reason(
    message: Message, _widget: ManagedTextInput[str], manager: DialogManager, reason: str
) -> None:
    start = DecideStep.read(manager.start_data)
    decision, step_id = start.decision, start.step
    async with ends_if_refused(manager, message, why=partial(_why_closed, manager, step_id)):
        await approvals.decide(
            uow_of(manager),
            step_id=step_id,
            actor_id=person_of(manager).id,
            decision=decision,
            comment=reason,
            policy=policy_of(manager),
            now=now_of(manager),
        )
        done = {
            Decision.approve: _("Approved ✅, with your opinion."),
            Decision.reject: _("Rejected. The requester has been told."),
            Decision.return_for_changes: _("Returned for changes. The requester has been told."),
        }[decision]
        await message.answer(done)
        await manager.done()


async def _request_of(manager: DialogManager, step_id: int) -> RequestView | None:
    """The request being decided, or None once the person may no longer read it."""
    try:
        _step, view = await approvals.step_view(
            uow_of(manager), actor_id=person_of(manager).id, step_id=step_id, now=now_of(manager)
        )
    except DomainError:
        return None
    return view


async def _why_closed(manager: DialogManager, step_id: int, error: DomainError) -> str:
    view = await _request_of(manager, step_id)
    if view is not None and view.request.status is RequestStatus.withdrawn:
        return _("This request was withdrawn meanwhile; nothing was recorded.")
    return explain(error)


def reason_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr(
                "Why do you reject request #{request_id} ({customer})?\n"
                "Type the reason, up to {limit} characters.",
                when="rejecting",
            ),
            Tr(
                "What should change in request #{request_id} ({customer})?\n"
                "Type it, up to {limit} characters.",
                when=~F["rejecting"] & ~F["approving"],
            ),
            Tr(
                "Your opinion on request #{request_id} ({customer}), signed with your "
                "approval?\nType it, up to {limit} characters.",
                when="approving",
            ),
            text_field("reason", text_up_to(COMMENT_MAX), on_reason),
            Cancel(Label("✖ Cancel")),
            state=ReasonSG.reason,
            getter=reason_getter,
        ),
        # One reason question at a time: a new one (another card, or Return after Reject)
        # takes the place of the one waiting instead of piling up on it.
        launch_mode=LaunchMode.SINGLE_TOP,
    )
