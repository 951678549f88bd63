"""/report: a period (a named one, or two days on the calendar), a scope the reader may read,
a dimension; then the figures, summed by SQL (bot/core/reports.py)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.ui.calendar import day_calendar
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.report import getters, handlers, outputs
from dialogs.states import ExportSG, ReportSG


def _first_days(manager: DialogManager) -> tuple[date | None, date | None]:
    return None, handlers.today_of(manager)


def _to_period() -> SwitchTo:
    return SwitchTo(Label("◀ Back"), id="toperiod", state=ReportSG.period)


def report_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        Window(
            Tr("📊 Report: which period?"),
            choice_list("kinds", "rk", handlers.on_period, int_ids=False),
            Cancel(Label("Close")),
            buttons_only(),
            state=ReportSG.period,
            getter=getters.period_getter,
        ),
        Window(
            Tr("From which day?"),
            day_calendar("rfrom", handlers.on_first, timezone, _first_days),
            _to_period(),
            buttons_only(),
            state=ReportSG.first,
        ),
        Window(
            Tr("To which day? (a year at most)"),
            day_calendar("rto", handlers.on_last, timezone, handlers.last_days),
            SwitchTo(Label("◀ Back"), id="tofirst", state=ReportSG.first),
            buttons_only(),
            state=ReportSG.last,
        ),
        Window(
            Tr("Whose figures?"),
            choice_list("scopes", "rs", handlers.on_scope, int_ids=False),
            _to_period(),
            buttons_only(),
            state=ReportSG.scope,
            getter=getters.scope_getter,
        ),
        Window(
            Tr("Broken down by?"),
            choice_list("dimensions", "rd", handlers.on_dimension, int_ids=False),
            _to_period(),
            buttons_only(),
            state=ReportSG.dimension,
            getter=getters.dimension_getter,
        ),
        Window(
            Format("{text}"),
            Row(
                Button(Label("📊 Chart"), id="chart", on_click=outputs.on_chart, when="drawn"),
                Button(Label("📥 Excel"), id="excel", on_click=outputs.on_excel, when="shown"),
            ),
            Start(Label("📥 Other exports"), id="exports", state=ExportSG.kind, when="shown"),
            SwitchTo(Label("🔁 Another breakdown"), id="todim", state=ReportSG.dimension),
            SwitchTo(Label("🗓 Another period"), id="toperiod", state=ReportSG.period),
            Cancel(Label("Close")),
            buttons_only(),
            state=ReportSG.result,
            getter=getters.result_getter,
        ),
    )
