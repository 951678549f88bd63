"""aiogram-dialog's calendar in the reader's language.

The stock calendar names months and weekdays with strftime, i.e. in English whatever the
reader speaks; these views name them with Babel's CLDR data in the current locale
("十一月", "周一"), keeping the library's layout and callbacks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import I18n
from aiogram_dialog.api.entities import ChatEvent
from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.kbd import Calendar, CalendarConfig, CalendarUserConfig, ManagedCalendar
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScope,
    CalendarScopeView,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Text
from babel.dates import format_date, format_skeleton


def _locale() -> str:
    try:
        return I18n.get_current(no_error=False).current_locale
    except LookupError:
        return "en"


class LocalDate(Text):
    """`{date}` of the calendar's data in a CLDR pattern (or skeleton) of the reader's locale."""

    def __init__(self, pattern: str, *, skeleton: bool = False, template: str = "{}") -> None:
        super().__init__()
        self.pattern = pattern
        self.skeleton = skeleton
        self.template = template

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return self.template.format(localized(data["date"], self.pattern, skeleton=self.skeleton))


def localized(day: date, pattern: str, *, skeleton: bool = False) -> str:
    locale = _locale()
    if skeleton:
        return format_skeleton(pattern, day, locale=locale)
    return format_date(day, pattern, locale=locale)


class LocalCalendar(Calendar):
    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data,
                weekday_text=LocalDate("EEEEEE"),
                header_text=LocalDate("yMMMM", skeleton=True, template="🗓 {}"),
                next_month_text=LocalDate("yMMMM", skeleton=True, template="{} >>"),
                prev_month_text=LocalDate("yMMMM", skeleton=True, template="<< {}"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=LocalDate("LLLL"),
                this_month_text=LocalDate("LLLL", template="[ {} ]"),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }


DayPicked = Callable[[CallbackQuery, DialogManager, date], Awaitable[None]]
DayRange = Callable[[DialogManager], tuple[date | None, date | None]]


class BoundedCalendar(LocalCalendar):
    """Offers only the days `days` allows now (the others are blank), so a person is not shown
    a day that is then refused. The form's handler still checks the day it gets."""

    def __init__(self, *args: Any, days: DayRange | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._days = days

    def get_offset(self, manager: DialogManager) -> date | None:
        """Until the person pages, the month of the last day offered (else the first): the
        bot's today, not the wall clock's, which the library would use. A month kept from an
        earlier pick that no longer holds a day offered (a form's next instalment must fall
        after the one just picked) would show a blank month: the offered days' month again."""
        offset = super().get_offset(manager)
        if self._days is None:
            return offset
        first, last = self._days(manager)
        if offset is None or not _month_offers(offset, first, last):
            return last or first
        return offset

    async def _get_user_config(
        self, data: dict[str, Any], manager: DialogManager
    ) -> CalendarUserConfig:
        if self._days is None:
            return CalendarUserConfig()
        first, last = self._days(manager)
        return CalendarUserConfig(min_date=first, max_date=last)


def _month_offers(day: date, first: date | None, last: date | None) -> bool:
    """Whether the month of `day` holds a day from `first` to `last` (either open)."""
    month = (day.year, day.month)
    return (first is None or month >= (first.year, first.month)) and (
        last is None or month <= (last.year, last.month)
    )


def day_calendar(
    widget_id: str, on_day: DayPicked, zone: ZoneInfo, days: DayRange | None = None
) -> LocalCalendar:
    """A calendar whose "today" is the company's, offering `days`, handing the tapped day to
    `on_day`."""

    async def picked(
        event: ChatEvent, _widget: ManagedCalendar, manager: DialogManager, day: date, /
    ) -> None:
        if isinstance(event, CallbackQuery):  # a calendar is only ever tapped
            await on_day(event, manager, day)

    # aiogram-dialog annotates `timezone` as datetime.timezone, but only calls datetime.now(tz)
    # with it: any tzinfo works, and the company's zone has daylight saving a fixed offset lacks.
    config = CalendarConfig(timezone=zone)  # type: ignore[arg-type]
    return BoundedCalendar(id=widget_id, on_click=picked, config=config, days=days)
