"""The windows the money forms share (the deposit, a payment against a contract): how it was
paid, and the day it arrived — today, yesterday or a day on the calendar, never ahead and at
most 90 days back (`orders.check_paid_on`)."""

from __future__ import annotations

from datetime import date, timedelta
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Group, Row, Select
from aiogram_dialog.widgets.text import Format

from bot.core.calendar import local
from bot.core.deals import InputProblem
from bot.core.orders import PAYMENT_BACKDATE_DAYS, PaymentMethod, check_paid_on
from bot.labels import payment_method_label
from bot.ui.calendar import day_calendar
from bot.ui.inputs import input_problem_text
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.common import now_of, policy_of
from dialogs.summary_form import back_to_summary, next_or_summary

PAID_ON = "paid_on"
METHOD = "method"


def today_of(manager: DialogManager) -> date:
    return local(now_of(manager), policy_of(manager)).date()


def paid_on_of(manager: DialogManager) -> date:
    """The day picked, else today."""
    picked = manager.dialog_data.get(PAID_ON)
    return date.fromisoformat(picked) if picked else today_of(manager)


def paid_on_range(manager: DialogManager) -> tuple[date | None, date | None]:
    today = today_of(manager)
    return today - timedelta(days=PAYMENT_BACKDATE_DAYS), today


def method_items() -> list[tuple[str, str]]:
    return [(m.value, payment_method_label(m.value)) for m in PaymentMethod]


def method_window(state: State, then: State, summary: State, *extra: Any, getter: Any) -> Window:
    """How it was paid, one button per method; the getter gives `methods` (method_items)."""

    async def on_method(
        callback: CallbackQuery, _w: Select[str], manager: DialogManager, method: str
    ) -> None:
        if method not in tuple(PaymentMethod):  # a forged tap names no method
            return
        manager.dialog_data.update({METHOD: method, "echo": None})
        await next_or_summary(manager, then, summary)

    return Window(
        Format("{echo}", when="echo"),
        Tr("How was it paid?"),
        Group(
            Select(
                Format("{item[1]}"),
                id=METHOD,
                item_id_getter=itemgetter(0),
                items="methods",
                on_click=on_method,
            ),
            width=2,
        ),
        back_to_summary(summary),
        *extra,
        buttons_only(),
        state=state,
        getter=getter,
    )


def paid_on_window(state: State, summary: State, timezone: ZoneInfo) -> Window:
    """When the money arrived; back to the summary once picked."""

    async def set_day(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
        try:
            check_paid_on(day, today_of(manager))
        except InputProblem as problem:
            await callback.answer(input_problem_text(problem), show_alert=True)
            return
        manager.dialog_data[PAID_ON] = day.isoformat()
        await manager.switch_to(summary)

    async def on_day(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
        back = 1 if button.widget_id == "yesterday" else 0
        await set_day(callback, manager, today_of(manager) - timedelta(days=back))

    return Window(
        Tr("When did it arrive?"),
        Row(
            Button(Label("Today"), id="today", on_click=on_day),
            Button(Label("Yesterday"), id="yesterday", on_click=on_day),
        ),
        day_calendar(PAID_ON, set_day, timezone, paid_on_range),
        back_to_summary(summary),
        buttons_only(),
        state=state,
    )
