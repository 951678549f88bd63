from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import itemgetter
from typing import Any

from aiogram import F
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Group, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.deals import (
    CUSTOMER_NAME_MAX,
    NOTE_MAX,
    PAYMENT_TERMS_MAX,
    PRODUCT_MAX,
    DealTerms,
    parse_amount,
    parse_discount,
    parse_quantity,
)
from bot.i18n import N_
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, text_up_to
from dialogs.cc_pick.dialog import open_cc_pick, with_cc_result
from dialogs.deal import getters, handlers
from dialogs.discard import FormKind, cancel_button
from dialogs.picker import Pool, customer_picker
from dialogs.states import DealSG

ANSWERS = tuple(field.name for field in fields(DealTerms))  # what a request holds


def _cancel() -> Button:
    return cancel_button(FormKind.request, ANSWERS)


def _field(
    state: State,
    field: str,
    prompt: str,
    parse: Callable[[str], Any],
    *,
    optional: str | None = None,
    extra: tuple[Button, ...] = (),
) -> Window:
    return Window(
        Format("{echo}", when="echo"),
        Tr(prompt),
        text_field(field, parse, handlers.on_value),
        *extra,
        *(
            [Button(Label(optional), id=f"skip_{field}", on_click=handlers.on_skip)]
            if optional
            else []
        ),
        SwitchTo(
            Label("◀ Back to the summary"),
            id="tosum",
            state=DealSG.confirm,
            when=F["dialog_data"]["editing"],
        ),
        _cancel(),
        state=state,
        getter=getters.field_getter,
    )


def deal_dialog() -> Dialog:
    return Dialog(
        customer_picker(
            DealSG.customer,
            prompt=Tr(
                "<b>New special terms request</b>\nWhich customer? Tap one, or type part of a name to search."
            ),
            empty=Tr("No customers found. Add one below.", when="none"),
            pool=Pool.own,
            on_picked=handlers.on_customer,
            extra=(
                SwitchTo(Label("➕ New customer"), id="new", state=DealSG.new_customer),
                _cancel(),
            ),
        ),
        Window(
            Tr("The new customer's company name?"),
            text_field("name", text_up_to(CUSTOMER_NAME_MAX), handlers.on_new_customer),
            Back(Label("◀ Back")),
            _cancel(),
            state=DealSG.new_customer,
        ),
        _field(
            DealSG.product,
            "product",
            N_("Which product, or what is being sold? (up to 200 characters)"),
            text_up_to(PRODUCT_MAX),
            extra=(
                Button(
                    Format("↩️ {last_product}"),
                    id="last",
                    on_click=handlers.on_last_product,
                    when="last_product",
                ),
            ),
        ),
        _field(DealSG.quantity, "quantity", N_("Quantity?"), parse_quantity),
        _field(
            DealSG.amount,
            "amount",
            N_("Total amount of the deal, before the discount?"),
            parse_amount,
        ),
        _field(
            DealSG.discount,
            "discount",
            N_("Discount asked for? In percent (12 or 12%), or the 折 way (九五折 is 5 %)."),
            parse_discount,
            optional=N_("No discount"),
        ),
        _field(
            DealSG.payment_terms,
            "payment_terms",
            N_("Special payment terms? (up to 300 characters)"),
            text_up_to(PAYMENT_TERMS_MAX),
            optional=N_("No special payment terms"),
        ),
        _field(
            DealSG.deposit,
            "deposit",
            N_("Expected deposit?"),
            parse_amount,
            optional=N_("No deposit yet"),
        ),
        _field(
            DealSG.note,
            "note",
            N_("A note for the approvers? (up to 500 characters)"),
            text_up_to(NOTE_MAX),
            optional=N_("No note"),
        ),
        Window(
            Format("{summary}"),
            Tr("\nSend it for approval? Tap a field to change it.", when=~F["resubmitting"]),
            Tr("\nSend it again for approval? Tap a field to change it.", when="resubmitting"),
            Tr("👥 Informed (CC): {cc_names}", when="cc_names"),
            Button(Label("📨 Submit"), id="submit", on_click=handlers.on_submit),
            Button(
                Label("👥 Inform colleagues (CC)"),
                id="cc",
                on_click=open_cc_pick,
                when=~F["resubmitting"],
            ),
            Group(
                Select(
                    Format("✏️ {item[1]}"),
                    id="f",
                    item_id_getter=itemgetter(0),
                    items="fields",
                    on_click=handlers.on_edit,
                ),
                width=2,
            ),
            _cancel(),
            buttons_only(),
            state=DealSG.confirm,
            getter=getters.summary_getter,
        ),
        Window(
            Tr("Request #{request_id} is on its way: {first} decides first."),
            Tr("I will keep its status message below up to date.", when=~F["resubmitting"]),
            Tr(
                "Its status message, further up in this chat, is kept up to date as before.",
                when="resubmitting",
            ),
            Cancel(Label("Done")),
            buttons_only(),
            state=DealSG.done,
            getter=getters.done_getter,
        ),
        on_start=handlers.on_start,
        on_process_result=with_cc_result,
    )
