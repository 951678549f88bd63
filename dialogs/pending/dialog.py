"""/pending: my approval queue, oldest deadline first; open one to decide it."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, Select, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.approvals import ApprovalStep, Decision, RequestView, StepStatus
from bot.core.errors import DomainError
from bot.core.usecases import approvals, contract_application, follow_on, orders
from bot.core.usecases.approval_views import card_params, with_credit
from bot.core.usecases.contract_settle import CONTRACT_KIND
from bot.core.usecases.orders import RECORDS_MONEY
from bot.labels import day_label
from bot.rendering import money, percent
from bot.ui.errors import explain
from bot.ui.fit import WINDOW_LIMIT, clip
from bot.ui.paging import pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.application.dialog import start_application
from dialogs.commission.pending import commission_pending, commission_sections, commission_start
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.contract.handlers import send_contract_pdf
from dialogs.delivery.pending import delivery_pending, delivery_sections
from dialogs.history import history_button, history_pages, more_history
from dialogs.invoice.pending import invoice_pending, invoice_section
from dialogs.starts import AtCustomer, AtDeal, AtWorkOrder, DecideStep, StartData, TransferStep
from dialogs.states import (
    CustomerSG,
    DepositSG,
    PaymentSG,
    PendingSG,
    ReasonSG,
    TransferSG,
    WorkOrderFileSG,
    WorkOrderSG,
)


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
    work = await _order_work(dialog_manager)
    follow = await follow_on_items(dialog_manager)
    deliveries = await delivery_pending(dialog_manager)
    to_issue = await invoice_pending(dialog_manager)
    commission = await commission_pending(dialog_manager)
    return {
        "items": items,
        "count": len(items),
        "has_items": bool(items),
        "deposits": expected,
        "deposit_count": len(expected),
        **work,
        **follow,
        **deliveries,
        **to_issue,
        **commission,
        "empty": not items
        and not to_issue["iv"]
        and not expected
        and not any(work[k] for k in ORDER_QUEUES)
        and not follow["follow_on"]
        and deliveries["delivery_empty"]
        and commission["commission_empty"],
    }


ORDER_QUEUES = ("to_file", "to_cosign")


async def _order_work(manager: DialogManager) -> dict[str, Any]:
    """The order flow's queues: applications the filer files, contracts finance co-signs."""
    uow, actor, policy = uow_of(manager), person_of(manager).id, policy_of(manager)
    to_file = await contract_application.applications_to_file(uow, actor, policy)
    to_cosign = await contract_application.contracts_to_cosign(uow, actor)
    names = await contract_application.customer_names(uow, [c.customer_id for c in to_cosign])
    return {
        "to_file": [(f.deal.id, f"📄 {f.customer_name} · {f.owner_name}") for f in to_file],
        "to_cosign": [
            (
                c.id,
                f"✍️ {c.number} · {names.get(c.customer_id, '—')} · "
                f"{money(c.amount, policy.currency)}",
            )
            for c in to_cosign
        ],
    }


async def on_file(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, deal_id: int
) -> None:
    await start_application(callback, manager, deal_id)


async def on_cosign_open(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, contract_id: int
) -> None:
    async with ends_if_refused(manager, callback, back_to=PendingSG.list):
        await contract_application.cosign_file(uow_of(manager), person_of(manager).id, contract_id)
        manager.dialog_data["contract"] = contract_id
        await manager.switch_to(PendingSG.cosign)


async def cosign_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    contract = await contract_application.cosign_file(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["contract"]),
    )
    names = await contract_application.customer_names(
        uow_of(dialog_manager), [contract.customer_id]
    )
    text = renderer_of(dialog_manager).render_within(
        "contract_to_sign",
        {"c": contract_application.contract_params(contract, names)},
        WINDOW_LIMIT,
    )
    return {"contract": text}


async def on_cosign(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=PendingSG.list):
        signed = await contract_application.cosign(
            uow_of(manager),
            actor_id=person_of(manager).id,
            contract_id=int(manager.dialog_data["contract"]),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await callback.answer(
            _("Co-signed ✅ {number} is in the ledger.").format(number=signed.number)
        )
        await manager.switch_to(PendingSG.list)


async def follow_on_items(manager: DialogManager) -> dict[str, Any]:
    """The order work beside the decisions: payments to record, work orders to file, sign,
    assign or carry out."""
    uow, actor = uow_of(manager), person_of(manager)
    queue = await follow_on.follow_on_queue(uow, actor.id)

    def rows(views: list[follow_on.WorkOrderFile]) -> list[tuple[int, str]]:
        return [
            (v.order.id, clip(f"🛠 {v.file.contract.number} · {v.file.customer_name}", 60))
            for v in views
        ]

    lists = {
        "to_sign": rows(queue.to_sign),
        "to_assign": rows(queue.to_assign),
        "to_accept": rows(queue.to_accept),
    }
    return {
        **lists,
        "follow_on": any(lists.values()),
        "records_payments": actor.role in RECORDS_MONEY,
        "files_work_orders": await follow_on.may_file_work_orders(
            uow, actor.id, policy_of(manager)
        ),
    }


async def on_work_order(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, order_id: int
) -> None:
    await manager.start(WorkOrderSG.card, data=AtWorkOrder(order_id).data())


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
    if step.status is StepStatus.pending:
        viewed = {view.request.id: view}
        uow, now, policy = uow_of(dialog_manager), now_of(dialog_manager), policy_of(dialog_manager)
        view = (await with_credit(uow, viewed, now, policy))[view.request.id]
    params = card_params(view, step)
    card = renderer_of(dialog_manager).render_within(
        "notifications/approval_card", params, WINDOW_LIMIT
    )
    return {
        "card": card,
        "is_contract": view.request.kind == CONTRACT_KIND,
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


async def _open_on_step(manager: DialogManager, state: State, start: StartData) -> None:
    """A form about the step shown (a reason, a transfer), if the person decides it now."""
    await approvals.ensure_decider(
        uow_of(manager),
        step_id=int(manager.dialog_data["step"]),
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await manager.switch_to(PendingSG.list)
    await manager.start(state, data=start.data(), mode=StartMode.NORMAL)


async def _ask_text(manager: DialogManager, decision: Decision) -> None:
    start = DecideStep(int(manager.dialog_data["step"]), decision)
    await _open_on_step(manager, ReasonSG.reason, start)


async def on_transfer(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    start = TransferStep(int(manager.dialog_data["step"]), add=button.widget_id == "add")
    await _open_on_step(manager, TransferSG.person, start)


async def on_opinion(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask_text(manager, Decision.approve)


async def on_reject(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask_text(manager, Decision.reject)


async def on_return(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _ask_text(manager, Decision.return_for_changes)


async def on_application_pdf(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    _step, view = await _step_view(manager)
    contract_id = await contract_application.contract_of_request(uow_of(manager), view.request.id)
    if contract_id is not None:
        await send_contract_pdf(callback, manager, contract_id)


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
            Tr("<b>Contract applications to file</b>", when="to_file"),
            choice_list("to_file", "af", on_file),
            Tr("<b>Contracts to co-sign</b>", when="to_cosign"),
            choice_list("to_cosign", "cs", on_cosign_open),
            Tr("<b>Work orders to sign</b>", when="to_sign"),
            choice_list("to_sign", "ws", on_work_order),
            Tr("<b>Work orders to assign to customer service</b>", when="to_assign"),
            choice_list("to_assign", "wa", on_work_order),
            Tr(
                "<b>Your work orders</b>\nRecord the acceptance report when done.", when="to_accept"
            ),
            choice_list("to_accept", "wc", on_work_order),
            Start(
                Label("💵 Record a payment"),
                id="pay",
                state=PaymentSG.contract,
                when="records_payments",
            ),
            Start(
                Label("🛠 File a work order"),
                id="wof",
                state=WorkOrderFileSG.contract,
                when="files_work_orders",
            ),
            *delivery_sections(),
            *invoice_section(),
            *commission_sections(),
            *commission_start(),
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
            Row(
                Button(Label("🔀 Transfer"), id="transfer", on_click=on_transfer, when="open"),
                Button(Label("➕ Add approver"), id="add", on_click=on_transfer, when="open"),
            ),
            Button(Label("📇 Customer and visits"), id="cust", on_click=on_customer),
            Button(
                Label("📄 Application PDF"),
                id="apdf",
                on_click=on_application_pdf,
                when="is_contract",
            ),
            history_button(PendingSG.history),
            SwitchTo(Label("◀ Back to the list"), id="tolist", state=PendingSG.list),
            buttons_only(),
            state=PendingSG.card,
            getter=card_getter,
        ),
        Window(
            Format("{contract}"),
            Button(Label("✍️ Co-sign"), id="cosign", on_click=on_cosign),
            SwitchTo(Label("◀ Back to the list"), id="tolist", state=PendingSG.list),
            buttons_only(),
            state=PendingSG.cosign,
            getter=cosign_getter,
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
