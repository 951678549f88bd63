"""/visit: log a visit in under a minute — customer, kind, date, outcome, intent, follow-up."""

from __future__ import annotations

from operator import itemgetter
from zoneinfo import ZoneInfo

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Group,
    Row,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format

from bot.core.customers import NEXT_STEP_MAX, OUTCOME_MAX
from bot.ui.calendar import day_calendar
from bot.ui.inputs import text_field
from bot.ui.location import REPLY_KEYBOARD, share_location_button
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, text_up_to
from dialogs.discard import FormKind, cancel_button
from dialogs.picker import Pool, customer_picker
from dialogs.states import VisitSG
from dialogs.visit import getters, handlers

# Widget ids: short, since they travel in every button's callback data (64 bytes at most).
KIND = "k"
INTENT = "i"
VISIT_DAY = "vd"
FOLLOW_UP_DAY = "fd"


def _cancel() -> Button:
    return cancel_button(FormKind.visit, ("customer", "kind", "outcome"))


def visit_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        customer_picker(
            VisitSG.customer,
            prompt=Tr("<b>Log a visit</b>\nWhich customer? Recent ones first; type to search."),
            empty=Tr("No customers found.", when="none"),
            pool=Pool.open,
            on_picked=handlers.on_customer,
            extra=(
                Button(Label("➕ New customer"), id="new", on_click=handlers.on_new_customer),
                _cancel(),
            ),
        ),
        Window(
            Tr("<b>{name}</b>\nWhat kind of contact?"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id=KIND,
                    item_id_getter=itemgetter(0),
                    items="kinds",
                    on_click=handlers.on_kind,
                ),
                width=2,
            ),
            _cancel(),
            buttons_only(),
            state=VisitSG.kind,
            getter=getters.choices_getter,
        ),
        Window(
            Tr("When was it?"),
            Row(
                Button(Label("Today"), id="today", on_click=handlers.on_today),
                Button(Label("Yesterday"), id="yesterday", on_click=handlers.on_today),
            ),
            SwitchTo(Label("📅 Another day"), id="pick", state=VisitSG.date_pick),
            _cancel(),
            buttons_only(),
            state=VisitSG.date,
        ),
        Window(
            Tr("Pick the day of the visit:"),
            day_calendar(VISIT_DAY, handlers.on_date, timezone, handlers.visit_day_range),
            SwitchTo(Label("◀ Back"), id="back", state=VisitSG.date),
            buttons_only(),
            state=VisitSG.date_pick,
        ),
        Window(
            Tr("What happened? (up to 500 characters)"),
            text_field("outcome", text_up_to(OUTCOME_MAX), handlers.on_outcome),
            _cancel(),
            state=VisitSG.outcome,
        ),
        Window(
            Tr("Purchase intent?"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id=INTENT,
                    item_id_getter=itemgetter(0),
                    items="intents",
                    on_click=handlers.on_intent,
                ),
                width=2,
            ),
            _cancel(),
            buttons_only(),
            state=VisitSG.intent,
            getter=getters.choices_getter,
        ),
        Window(
            Tr("Next step? (up to 300 characters)"),
            text_field("next", text_up_to(NEXT_STEP_MAX), handlers.on_next_step),
            Button(Label("No next step"), id="skipnext", on_click=handlers.on_skip_next_step),
            _cancel(),
            state=VisitSG.next_step,
        ),
        Window(
            Tr("When to follow up?"),
            Row(
                Button(Label("In 3 days"), id="in3", on_click=handlers.on_follow_in),
                Button(Label("In a week"), id="in7", on_click=handlers.on_follow_in),
                Button(Label("In 2 weeks"), id="in14", on_click=handlers.on_follow_in),
            ),
            SwitchTo(Label("📅 Pick a date"), id="pick", state=VisitSG.follow_up_pick),
            Button(Label("No follow-up"), id="none", on_click=handlers.on_follow_in),
            _cancel(),
            buttons_only(),
            state=VisitSG.follow_up,
        ),
        Window(
            Tr("Pick the follow-up day:"),
            day_calendar(
                FOLLOW_UP_DAY, handlers.on_follow_date, timezone, handlers.follow_up_range
            ),
            SwitchTo(Label("◀ Back"), id="back", state=VisitSG.follow_up),
            buttons_only(),
            state=VisitSG.follow_up_pick,
        ),
        Window(
            Tr(
                "Where are you? Tap “📍 Send my location” below to check the distance to the customer, or skip."
            ),
            MessageInput(handlers.on_location, content_types=ContentType.LOCATION),
            share_location_button(),
            Row(Button(Label("Skip"), id="skiploc", on_click=handlers.on_skip_location), _cancel()),
            state=VisitSG.location,
            markup_factory=REPLY_KEYBOARD,
        ),
        Window(
            Tr("Photos? Send up to 5, then tap Done. Photos so far: {photo_count}"),
            MessageInput(handlers.on_photo, content_types=ContentType.PHOTO),
            Button(Label("Done"), id="done", on_click=handlers.on_photos_done),
            _cancel(),
            state=VisitSG.photos,
            getter=getters.choices_getter,
        ),
        Window(
            Format("{summary}"),
            Tr("\nSave this visit? Tap a field to change it."),
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
            state=VisitSG.confirm,
            getter=getters.summary_getter,
        ),
        on_start=handlers.on_start,
        on_process_result=handlers.on_result,
    )
