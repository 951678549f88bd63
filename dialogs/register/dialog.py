"""Registering a customer: name and phone first, then the duplicate check, then the rest."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from aiogram import F
from aiogram.enums import ContentType
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.customer_rules import normalize_phone, normalize_url
from bot.core.customers import ADDRESS_MAX, CONTACT_MAX, CUSTOMER_NOTE_MAX, PICK_MAX
from bot.core.deals import CUSTOMER_NAME_MAX
from bot.i18n import N_
from bot.labels import CUSTOMER_FIELD_LABELS
from bot.ui.inputs import text_field
from bot.ui.location import REPLY_KEYBOARD, share_location_button
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, text_up_to
from dialogs.discard import FormKind, cancel_button, close_if_discarded
from dialogs.register import getters, handlers
from dialogs.states import RegisterSG


def _cancel() -> Button:
    return cancel_button(FormKind.customer, tuple(CUSTOMER_FIELD_LABELS))


def _back_to_summary() -> SwitchTo:
    return SwitchTo(
        Label("◀ Back to the summary"),
        id="tosum",
        state=RegisterSG.confirm,
        when=F["dialog_data"]["phone_asked"],
    )


def _typed(
    state: State,
    widget_id: str,
    prompt: str,
    parse: Callable[[str], Any],
    *,
    skip: str | None = None,
    on_success: Any = None,
) -> Window:
    return Window(
        Tr(prompt),
        text_field(widget_id, parse, on_success or handlers.on_text),
        *([Button(Label(skip), id=f"skip_{widget_id}", on_click=handlers.on_skip)] if skip else []),
        _back_to_summary(),
        _cancel(),
        state=state,
    )


def _picked(
    state: State, widget_id: str, prompt: str, items: str, *, skip: str | None = None
) -> Window:
    return Window(
        Tr(prompt),
        Group(
            Select(
                Format("{item[1]}"),
                id=widget_id,
                item_id_getter=itemgetter(0),
                items=items,
                on_click=handlers.on_pick,
            ),
            width=2,
        ),
        *([Button(Label(skip), id=f"skip_{widget_id}", on_click=handlers.on_skip)] if skip else []),
        _back_to_summary(),
        _cancel(),
        buttons_only(),
        state=state,
        getter=getters.picklists_getter,
    )


def register_dialog() -> Dialog:
    return Dialog(
        _typed(
            RegisterSG.name,
            "name",
            N_("<b>New customer</b>\nCompany name?"),
            text_up_to(CUSTOMER_NAME_MAX),
            on_success=handlers.on_name,
        ),
        _typed(
            RegisterSG.phone,
            "phone",
            N_("Phone? A mainland mobile or landline, or an international number with +."),
            normalize_phone,
            skip=N_("No phone yet"),
            on_success=handlers.on_phone,
        ),
        Window(
            Format("{duplicates}"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="open",
                    item_id_getter=itemgetter(0),
                    items="openable",
                    type_factory=int,
                    on_click=handlers.on_open_existing,
                ),
                Select(
                    Format("{item[1]}"),
                    id="claim",
                    item_id_getter=itemgetter(0),
                    items="claimable",
                    type_factory=int,
                    on_click=handlers.on_claim_pooled,
                ),
            ),
            Button(
                Label("➡️ It is a different customer"), id="distinct", on_click=handlers.on_distinct
            ),
            _cancel(),
            buttons_only(),
            state=RegisterSG.duplicates,
            getter=getters.duplicates_getter,
        ),
        _typed(
            RegisterSG.contact,
            "contact",
            N_("Contact person?"),
            text_up_to(CONTACT_MAX),
            skip=N_("Skip"),
        ),
        Window(
            Tr("Address? Type it, or tap “📍 Send my location” below if you are there."),
            text_field("address", text_up_to(ADDRESS_MAX), handlers.on_text),
            MessageInput(handlers.on_location, content_types=ContentType.LOCATION),
            share_location_button(),
            Row(Button(Label("Skip"), id="skip_address", on_click=handlers.on_skip), _cancel()),
            _back_to_summary(),
            state=RegisterSG.address,
            markup_factory=REPLY_KEYBOARD,
        ),
        _picked(RegisterSG.industry, "industry", N_("Industry?"), "industries", skip=N_("Skip")),
        _typed(
            RegisterSG.industry_other, "industry_other", N_("Which industry?"), text_up_to(PICK_MAX)
        ),
        _picked(RegisterSG.size, "size", N_("Company size?"), "sizes", skip=N_("Skip")),
        _picked(RegisterSG.region, "region", N_("Region?"), "regions", skip=N_("Skip")),
        _typed(RegisterSG.region_other, "region_other", N_("Which region?"), text_up_to(PICK_MAX)),
        _picked(
            RegisterSG.source, "source", N_("How did we find them?"), "sources", skip=N_("Skip")
        ),
        _typed(
            RegisterSG.shop,
            "shop",
            N_("Online shop link?"),
            normalize_url,
            skip=N_("No online shop"),
        ),
        _typed(
            RegisterSG.note,
            "note",
            N_("A note? (up to 500 characters)"),
            text_up_to(CUSTOMER_NOTE_MAX),
            skip=N_("No note"),
        ),
        Window(
            Format("{summary}"),
            Tr("\nSave this customer? Tap a field to change it.", when=~F["editing"]),
            Tr("\nSave the changes? Tap a field to change it.", when="editing"),
            Button(Label("💾 Save"), id="save", on_click=handlers.on_save),
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
            state=RegisterSG.confirm,
            getter=getters.summary_getter,
        ),
        on_start=handlers.on_start,
        on_process_result=close_if_discarded,
    )
