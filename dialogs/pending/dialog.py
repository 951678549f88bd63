"""/pending: my approval queue, oldest deadline first; open one to decide it."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.approvals import ApprovalStep, Decision, RequestView
from bot.core.errors import DomainError
from bot.core.usecases import approvals, orders
from bot.core.usecases.approval_views import card_params
from bot.labels import day_label
from bot.rendering import money, percent
from bot.ui.errors import explain
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.paging import pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.delivery.pending import delivery_pending, delivery_sections
from dialogs.history import history_button, history_pages, more_history
from dialogs.starts import AtCustomer, AtDeal, DecideStep
from dialogs.states import CustomerSG, DepositSG, PendingSG, ReasonSG


async def list_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    now = now_of(dialog_manager)
    queue = await approvals.approver_queue(uow_of(dialog_manager), person_of(dialog_manager).id)
    policy = policy_of(dialog_manager)
    tz = policy.tz
    items = []
    for step, view in queue:
        terms = view.request.terms
        parts = [f"#{view.request.id} {view.customer_name}", money(terms.amount, policy.currency)]
        if terms.discount is not None:
            parts.append(percent(terms.discount))
        if step.due_at is not None:
            parts.append(f"⏰ {day_label(step.due_at.astimezone(tz), clock=True)}")
        late = "⚠️ " if step.due_at and step.due_at <= now else ""
        items.append((step.id, late + " · ".join(parts)))
    deposits = await orders.deposits_expected(uow_of(dialog_manager), person_of(dialog_manager).id)
    expected = [
        (
            f.deal.id,
            f"💰 {f.customer_name} · {money(f.deal.reservation.expected_deposit, policy.currency)}"
            if f.deal.reservation
            else f"💰 {f.customer_name}",
        )
        for f in deposits
    ]
    deliveries = await delivery_pending(dialog_manager)
    return {
        "items": items,
        "count": len(items),
        "has_items": bool(items),
        "deposits": expected,
        "deposit_count": len(expected),
        **deliveries,
        "empty": not items and not expected and deliveries["delivery_empty"],
    }


async def _step_view(manager: DialogManager) -> tuple[ApprovalStep, RequestView]:
    return await approvals.step_view(
        uow_of(manager),
        actor_id=person_of(manager).id,
        step_id=int(manager.dialog_data["step"]),
        now=now_of(manager),
    )


async def card_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        step, view = await _step_view(dialog_manager)
    except DomainError as error:
        # The step is no longer this person's to see (a delegation ended meanwhile): the
        # window says so and keeps its way back to the list.
        return {"card": explain(error), "open": False, "more_history": False}
    params = card_params(view, step)
    card = renderer_of(dialog_manager).render_within(
        "notifications/approval_card", params, WINDOW_LIMIT
    )
    return {
        "card": card,
        "open": step.status.value == "pending",
        "more_history": more_history(params),
    }


async def history_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        _step, view = await _step_view(dialog_manager)
    except DomainError as error:
        return {"history": explain(error), "history_prev": False, "history_next": False}
    return history_pages(dialog_manager, view)


async def on_open(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, step_id: int
) -> None:
    await approvals.ensure_decider(
        uow_of(manager),
        step_id=step_id,
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    manager.dialog_data.update(step=step_id, history=0)
    await manager.switch_to(PendingSG.card)


async def on_deposit(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, deal_id: int
) -> None:
    async with ends_if_refused(manager, callback, back_to=PendingSG.list):
        await orders.deposit_file(uow_of(manager), person_of(manager).id, deal_id)
        await manager.start(DepositSG.amount, data=AtDeal(deal_id).data())


async def on_approve(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await approvals.decide(
        uow_of(manager),
        step_id=int(manager.dialog_data["step"]),
        actor_id=person_of(manager).id,
        decision=Decision.approve,
        comment=None,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await callback.answer(_("Approved ✅"))
    await manager.switch_to(PendingSG.list)


async def _ask_text(manager: DialogManager, decision: Decision) -> None:
    step_id = int(manager.dialog_data["step"])
    await approvals.ensure_decider(
        uow_of(manager),
        step_id=step_id,
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await manager.switch_to(PendingSG.list)
    await manager.start(
        ReasonSG.reason, data=DecideStep(step_id, decision).data(), mode=StartMode.NORMAL
    )


async def on_opinion(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask_text(manager, Decision.approve)


async def on_reject(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask_text(manager, Decision.reject)


async def on_return(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask_text(manager, Decision.return_for_changes)


async def on_customer(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    _step, view = await _step_view(manager)
    start = AtCustomer(view.request.terms.customer_id, back_to_caller=True)
    await manager.start(CustomerSG.card, data=start.data(), mode=StartMode.NORMAL)


def pending_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("<b>Waiting for your decision: {count}</b>", when="has_items"),
            Tr("Nothing waits for you. 🎉", when="empty"),
            choice_list("items", "s", on_open),
            Tr(
                "<b>Deposits expected: {deposit_count}</b>\nRecord one when the money is in.",
                when="deposits",
            ),
            choice_list("deposits", "dp", on_deposit),
            *delivery_sections(),
            Cancel(Label("Close")),
            buttons_only(),
            state=PendingSG.list,
            getter=list_getter,
        ),
        Window(
            Format("{card}"),
            Row(
                Button(Label("✅ Approve"), id="ok", on_click=on_approve, when="open"),
                Button(
                    Label("✍️ Approve with opinion"), id="opinion", on_click=on_opinion, when="open"
                ),
            ),
            Row(
                Button(Label("❌ Reject"), id="no", on_click=on_reject, when="open"),
                Button(Label("↩️ Return for changes"), id="back", on_click=on_return, when="open"),
            ),
            Button(Label("📇 Customer and visits"), id="cust", on_click=on_customer),
            history_button(PendingSG.history),
            SwitchTo(Label("◀ Back to the list"), id="tolist", state=PendingSG.list),
            buttons_only(),
            state=PendingSG.card,
            getter=card_getter,
        ),
        Window(
            Format("{history}"),
            pager("history"),
            SwitchTo(Label("◀ Back to the request"), id="tocard", state=PendingSG.card),
            buttons_only(),
            state=PendingSG.history,
            getter=history_getter,
        ),
    )
