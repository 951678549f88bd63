"""📥 Export: pick a table (only those the person may export), the period where one applies
(this month, last month, or days picked on the calendar) and Excel or CSV; the file arrives
as a document and the form closes (its caller shows again below it)."""

from __future__ import annotations

from operator import itemgetter
from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Column, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.ui.calendar import LocalCalendar, day_calendar
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.export import getters, handlers
from dialogs.states import ExportSG


def _day_window(prompt: Tr, calendar: LocalCalendar, state: State) -> Window:
    return Window(
        prompt,
        calendar,
        Back(Label("◀ Back")),
        buttons_only(),
        state=state,
        getter=getters.chosen_getter,
    )


def export_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        Window(
            Tr("<b>📥 Export</b>\nWhich table, as an Excel or CSV file?"),
            Tr("There is nothing you may export.", when="none"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="k",
                    item_id_getter=itemgetter(0),
                    items="kinds",
                    on_click=handlers.on_kind,
                )
            ),
            Cancel(Label("Close")),
            buttons_only(),
            state=ExportSG.kind,
            getter=getters.kinds_getter,
        ),
        Window(
            Tr("<b>{title}</b>\nWhich period?"),
            Row(
                Button(Label("Last month"), id="lastm", on_click=handlers.on_month),
                Button(Label("This month"), id="thism", on_click=handlers.on_month),
            ),
            SwitchTo(Label("🗓 Choose the days"), id="days", state=ExportSG.first),
            SwitchTo(Label("◀ Back"), id="tokind", state=ExportSG.kind),
            buttons_only(),
            state=ExportSG.period,
            getter=getters.chosen_getter,
        ),
        _day_window(
            Tr("<b>{title}</b>\nFirst day?"),
            day_calendar("from", handlers.on_first_day, timezone, handlers.first_days),
            ExportSG.first,
        ),
        _day_window(
            Tr("<b>{title}</b>\nLast day?"),
            day_calendar("to", handlers.on_last_day, timezone, handlers.last_days),
            ExportSG.last,
        ),
        Window(
            Tr("<b>{title}</b>{period}\nExcel or CSV?"),
            Row(
                Button(Label("📊 Excel"), id="xlsx", on_click=handlers.on_format),
                Button(Label("📄 CSV"), id="csv", on_click=handlers.on_format),
            ),
            SwitchTo(Label("◀ Back"), id="tokind2", state=ExportSG.kind, when=~F["period"]),
            SwitchTo(Label("◀ Back"), id="toperiod", state=ExportSG.period, when="period"),
            buttons_only(),
            state=ExportSG.format,
            getter=getters.chosen_getter,
        ),
    )
