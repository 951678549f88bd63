"""/customer: register, search, my customers, the supervisor's confirm queue, the customer card."""

from __future__ import annotations

from operator import itemgetter

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Row,
    ScrollingGroup,
    Select,
    Start,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format

from bot.core.customers import SEARCH_MAX
from bot.core.deals import COMMENT_MAX
from bot.core.usecases.orders import LOST_REASON_MAX
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.customer import getters, handlers
from dialogs.states import CustomerSG, ExportSG, PoolSG


def _list(items: str, widget_id: str) -> ScrollingGroup:
    return choice_list(items, widget_id, handlers.on_open)


def _to_card() -> SwitchTo:
    return SwitchTo(Label("◀ Back to the customer"), id="tocard", state=CustomerSG.card)


def customer_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("<b>Customers</b>\nType part of a name or phone to search, or choose:"),
            text_field("q", text_up_to(SEARCH_MAX), handlers.on_search),
            Button(
                Label("🤝 Handed to me"), id="handed", on_click=handlers.on_handed, when="serves"
            ),
            Button(
                Label("➕ Register a customer"),
                id="reg",
                on_click=handlers.on_register,
                when="sells",
            ),
            Button(Label("📋 My customers"), id="all", on_click=handlers.on_all, when="sells"),
            Start(Label("🌊 Customer pool"), id="pool", state=PoolSG.list, when="pool"),
            SwitchTo(
                Tr("✅ Prospects to confirm: {queue_size}"),
                id="queue",
                state=CustomerSG.queue,
                when="has_queue",
            ),
            Start(Label("📥 Export"), id="export", state=ExportSG.kind, when="exports"),
            Cancel(Label("Close")),
            state=CustomerSG.menu,
            getter=getters.menu_getter,
        ),
        Window(
            Tr("Matches for “{query}”:", when="searching"),
            Tr("<b>Customers</b>", when=~F["searching"]),
            Tr("Nothing found. Try another part of the name or phone.", when="none_found"),
            Tr("No customers yet. Register one from the menu.", when="empty"),
            Tr("No customer has been handed over to you yet.", when="none_handed"),
            Tr(
                "\n💡 Typed outside a form, a name or phone finds customers; /help lists the rest.",
                when="typed",
            ),
            text_field("q2", text_up_to(SEARCH_MAX), handlers.on_search),
            _list("items", "c"),
            SwitchTo(Label("◀ Back"), id="tomenu", state=CustomerSG.menu),
            state=CustomerSG.results,
            getter=getters.results_getter,
        ),
        Window(
            Tr("<b>Prospects to confirm</b>", when=~F["none"]),
            Tr("No prospects wait for confirmation.", when="none"),
            _list("items", "p"),
            SwitchTo(Label("◀ Back"), id="tomenu", state=CustomerSG.menu),
            buttons_only(),
            state=CustomerSG.queue,
            getter=getters.queue_getter,
        ),
        Window(
            Format("{card}"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="ph",
                    item_id_getter=itemgetter(0),
                    items="photos",
                    type_factory=int,
                    on_click=handlers.on_photos,
                )
            ),
            Row(
                Button(
                    Label("📝 Log a visit"),
                    id="visit",
                    on_click=handlers.on_visit,
                    when="can_visit",
                ),
                Button(Label("✏️ Edit"), id="edit", on_click=handlers.on_edit, when="can_edit"),
            ),
            SwitchTo(Label("🏆 Mark as won"), id="win", state=CustomerSG.won, when="can_win"),
            Button(
                Label("✍️ Signed reservation"),
                id="reserve",
                on_click=handlers.on_reservation,
                when="reservable",
            ),
            SwitchTo(Label("✖ Deal lost"), id="lost", state=CustomerSG.lost, when="losable"),
            Button(
                Label("📄 Contract application"),
                id="apply",
                on_click=handlers.on_application,
                when="fileable",
            ),
            Row(
                Button(
                    Label("✅ Confirm"),
                    id="confirm",
                    on_click=handlers.on_confirm,
                    when="can_confirm",
                ),
                SwitchTo(
                    Label("❌ Reject"),
                    id="reject",
                    state=CustomerSG.reject_kind,
                    when="can_confirm",
                ),
            ),
            Row(
                SwitchTo(
                    Label("Change status"), id="status", state=CustomerSG.status, when="can_manage"
                ),
                SwitchTo(
                    Label("🔁 Reassign"),
                    id="reassign",
                    state=CustomerSG.reassign,
                    when="can_manage",
                ),
            ),
            SwitchTo(
                Label("🤝 Hand over to customer service"),
                id="handover",
                state=CustomerSG.handover,
                when="can_hand_over",
            ),
            Button(Label("◀ Back"), id="back", on_click=handlers.on_back_from_card),
            buttons_only(),
            state=CustomerSG.card,
            getter=getters.card_getter,
        ),
        Window(
            Tr("Why reject this prospect?"),
            Column(
                Button(
                    Label("It is a duplicate"), id="duplicate", on_click=handlers.on_reject_kind
                ),
                Button(
                    Label("It is not a valid customer"),
                    id="invalid",
                    on_click=handlers.on_reject_kind,
                ),
            ),
            _to_card(),
            buttons_only(),
            state=CustomerSG.reject_kind,
        ),
        Window(
            Tr("Why was the deal lost? (up to 300 characters; kept with the deal)"),
            text_field("lostwhy", text_up_to(LOST_REASON_MAX), handlers.on_lost),
            _to_card(),
            state=CustomerSG.lost,
        ),
        Window(
            Tr("A word for the rep: what is wrong? (up to 500 characters)"),
            text_field("why", text_up_to(COMMENT_MAX), handlers.on_reject_comment),
            _to_card(),
            state=CustomerSG.reject_comment,
        ),
        Window(
            Tr("New status for <b>{name}</b>:"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="st",
                    item_id_getter=itemgetter(0),
                    items="statuses",
                    on_click=handlers.on_status,
                )
            ),
            _to_card(),
            buttons_only(),
            state=CustomerSG.status,
            getter=getters.status_getter,
        ),
        Window(
            Tr("Who takes over <b>{name}</b>?"),
            choice_list("people", "o", handlers.on_reassign),
            _to_card(),
            buttons_only(),
            state=CustomerSG.reassign,
            getter=getters.reassign_getter,
        ),
        Window(
            Tr("Hand the customer file to:", when=~F["none"]),
            Tr("Nobody in customer service yet: invite one with /invite.", when="none"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="cs",
                    item_id_getter=itemgetter(0),
                    items="people",
                    type_factory=int,
                    on_click=handlers.on_hand_over,
                )
            ),
            _to_card(),
            buttons_only(),
            state=CustomerSG.handover,
            getter=getters.handover_getter,
        ),
        Window(
            Tr(
                "Mark <b>{name}</b> as won? The customer has agreed to buy; "
                "your supervisor is told."
            ),
            Button(Label("🏆 Yes, it is won"), id="won", on_click=handlers.on_won),
            _to_card(),
            buttons_only(),
            state=CustomerSG.won,
            getter=getters.won_getter,
        ),
        on_process_result=handlers.on_registered,
        on_start=handlers.on_start,
    )
