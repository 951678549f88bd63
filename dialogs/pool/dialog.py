"""/pool: the customer pool (公海), paged and searchable; a customer's card to claim or assign it."""

from __future__ import annotations

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.customers import SEARCH_MAX
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.common import turn_page
from dialogs.pool import getters, handlers
from dialogs.states import PoolSG


def _back_to_list() -> SwitchTo:
    return SwitchTo(Label("◀ Back"), id="tolist", state=PoolSG.list)


def pool_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{text}"),
            text_field("q", text_up_to(SEARCH_MAX), handlers.on_search),
            choice_list("items", "pc", handlers.on_open),
            Row(
                Button(Label("◀ Newer"), id="prev", on_click=turn_page, when="has_prev"),
                Button(Label("Older ▶"), id="next", on_click=turn_page, when="has_next"),
            ),
            Cancel(Label("Close")),
            state=PoolSG.list,
            getter=getters.list_getter,
        ),
        Window(
            Format("{card}"),
            Button(Label("🙋 Claim it"), id="claim", on_click=handlers.on_claim, when="can_claim"),
            SwitchTo(Label("👥 Assign to…"), id="assign", state=PoolSG.assign, when="can_assign"),
            _back_to_list(),
            buttons_only(),
            state=PoolSG.card,
            getter=getters.card_getter,
        ),
        Window(
            Tr("Assign to whom?", when=~F["none"]),
            Tr("Nobody in your line can take customers.", when="none"),
            choice_list("people", "pa", handlers.on_assign),
            SwitchTo(Label("◀ Back"), id="tocard", state=PoolSG.card),
            buttons_only(),
            state=PoolSG.assign,
            getter=getters.assign_getter,
        ),
    )
