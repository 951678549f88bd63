"""A request read-only, for whoever may read it but neither filed nor decides it: a CC'd
colleague (抄送) opening it from the outcome message. No button here changes anything."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Cancel, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.approvals import RequestView
from bot.core.errors import DomainError
from bot.core.usecases.approval_views import request_snapshot, view_for
from bot.ui.errors import explain
from bot.ui.fit import WINDOW_LIMIT
from bot.ui.paging import pager
from bot.ui.text import Label
from bot.ui.widgets import buttons_only
from dialogs.common import person_of, policy_of, renderer_of, uow_of
from dialogs.history import history_button, history_pages, more_history
from dialogs.starts import OpenRequest
from dialogs.states import RequestViewSG


async def _view(manager: DialogManager) -> RequestView:
    return await view_for(
        uow_of(manager),
        person_of(manager).id,
        OpenRequest.read(manager.start_data).request,
        policy_of(manager),
    )


async def detail_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        view = await _view(dialog_manager)
    except DomainError as error:  # no longer theirs to read (left the company, moved teams)
        return {"detail": explain(error), "more_history": False}
    snapshot = request_snapshot(view)
    text = renderer_of(dialog_manager).render_within(
        "notifications/request_status", {**snapshot, "read_only": True}, WINDOW_LIMIT
    )
    return {"detail": text, "more_history": more_history(snapshot)}


async def history_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    try:
        view = await _view(dialog_manager)
    except DomainError as error:
        return {"history": explain(error), "history_prev": False, "history_next": False}
    return history_pages(dialog_manager, view)


def request_view_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{detail}"),
            history_button(RequestViewSG.history),
            Cancel(Label("✖ Close")),
            buttons_only(),
            state=RequestViewSG.detail,
            getter=detail_getter,
        ),
        Window(
            Format("{history}"),
            pager("history"),
            SwitchTo(Label("◀ Back to the request"), id="todetail", state=RequestViewSG.detail),
            buttons_only(),
            state=RequestViewSG.history,
            getter=history_getter,
        ),
    )
