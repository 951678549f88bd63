"""/my: my requests and where each stands; withdraw a pending one, resubmit a returned one."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.approvals import RequestStatus
from bot.core.usecases import approvals, customer_register, orders, urge
from bot.core.usecases.approval_views import request_snapshot, view_for
from bot.rendering import money
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.paging import pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, renderer_of, uow_of
from dialogs.history import history_button, history_pages, more_history
from dialogs.reservation.dialog import start_reservation
from dialogs.starts import Resubmit
from dialogs.states import DealSG, MyRequestsSG

MARK = {
    RequestStatus.pending: "⏳",
    RequestStatus.approved: "✅",
    RequestStatus.rejected: "❌",
    RequestStatus.returned: "↩️",
    RequestStatus.withdrawn: "🚫",
}


async def list_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    currency = policy_of(dialog_manager).currency
    items = []
    for view in await approvals.my_requests(uow_of(dialog_manager), person_of(dialog_manager).id):
        request = view.request
        items.append(
            (
                request.id,
                f"{MARK[request.status]} #{request.id} {view.customer_name} · {money(request.terms.amount, currency)}",
            )
        )
    return {"items": items, "empty": not items}


async def detail_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    view = await view_for(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["request"]),
        policy_of(dialog_manager),
    )
    snapshot = request_snapshot(view)
    text = renderer_of(dialog_manager).render_within(
        "notifications/request_status", snapshot, WINDOW_LIMIT
    )
    return {
        "detail": text,
        "more_history": more_history(snapshot),
        "pending": view.request.status is RequestStatus.pending,
        "urgeable": view.request.status is RequestStatus.pending and view.open_step() is not None,
        # Only special terms are edited here; a returned application or invoice is filed anew.
        "returned": view.request.status is RequestStatus.returned
        and view.request.kind == approvals.KIND,
        "winnable": await customer_register.may_win_on(
            uow_of(dialog_manager), person_of(dialog_manager).id, view.request
        ),
        "request_id": view.request.id,
        "reservable": await orders.reservable_on_request(
            uow_of(dialog_manager), person_of(dialog_manager).id, view.request
        ),
    }


async def history_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    view = await view_for(
        uow_of(dialog_manager),
        person_of(dialog_manager).id,
        int(dialog_manager.dialog_data["request"]),
        policy_of(dialog_manager),
    )
    return history_pages(dialog_manager, view)


async def on_open(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, request_id: int
) -> None:
    await approvals.own_request(uow_of(manager), person_of(manager).id, request_id)
    manager.dialog_data.update(request=request_id, history=0)
    await manager.switch_to(MyRequestsSG.detail)


async def on_withdraw(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await approvals.withdraw(
        uow_of(manager),
        request_id=int(manager.dialog_data["request"]),
        actor_id=person_of(manager).id,
        now=now_of(manager),
    )
    await manager.switch_to(MyRequestsSG.detail)


async def on_urge(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """A refusal (too soon, or nobody decides any more) is the error handler's alert."""
    urged = await urge.urge(
        uow_of(manager),
        request_id=int(manager.dialog_data["request"]),
        actor_id=person_of(manager).id,
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await callback.answer(_("📣 %(name)s has your nudge to decide.") % {"name": urged})


async def on_resubmit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.start(
        DealSG.confirm,
        data=Resubmit(int(manager.dialog_data["request"])).data(),
        mode=StartMode.NORMAL,
    )


async def on_win(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=MyRequestsSG.detail):
        await customer_register.win_on_request(
            uow_of(manager),
            actor_id=person_of(manager).id,
            request_id=int(manager.dialog_data["request"]),
            now=now_of(manager),
        )
        await callback.answer(_("Deal recorded: the customer agreed to these terms. 🤝"))


async def on_reservation(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    request = await approvals.own_request(
        uow_of(manager), person_of(manager).id, int(manager.dialog_data["request"])
    )
    deal_id = await orders.reservable_on_request(
        uow_of(manager), person_of(manager).id, request.request
    )
    if deal_id is not None:
        await start_reservation(callback, manager, deal_id)


def my_requests_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("<b>Your requests</b>", when=~F["empty"]),
            Tr("You have no requests yet. /deal starts one.", when="empty"),
            choice_list("items", "r", on_open),
            Cancel(Label("Close")),
            buttons_only(),
            state=MyRequestsSG.list,
            getter=list_getter,
        ),
        Window(
            Format("{detail}"),
            Button(Label("📣 Urge"), id="urge", on_click=on_urge, when="urgeable"),
            SwitchTo(Label("🚫 Withdraw"), id="wd", state=MyRequestsSG.withdraw, when="pending"),
            Button(
                Label("✏️ Edit and send again"), id="again", on_click=on_resubmit, when="returned"
            ),
            Button(
                Label("🤝 The customer agreed: record the deal"),
                id="win",
                on_click=on_win,
                when="winnable",
            ),
            Button(
                Label("✍️ Signed reservation"),
                id="reserve",
                on_click=on_reservation,
                when="reservable",
            ),
            history_button(MyRequestsSG.history),
            SwitchTo(Label("◀ Back to the list"), id="tolist", state=MyRequestsSG.list),
            buttons_only(),
            state=MyRequestsSG.detail,
            getter=detail_getter,
        ),
        Window(
            Format("{history}"),
            pager("history"),
            SwitchTo(Label("◀ Back to the request"), id="todetail", state=MyRequestsSG.detail),
            buttons_only(),
            state=MyRequestsSG.history,
            getter=history_getter,
        ),
        Window(
            Tr("Withdraw request #{request_id}? The approvers' cards will close."),
            Button(Label("Yes, withdraw"), id="yes", on_click=on_withdraw),
            SwitchTo(Label("◀ Back"), id="no", state=MyRequestsSG.detail),
            buttons_only(),
            state=MyRequestsSG.withdraw,
            getter=detail_getter,
        ),
    )
