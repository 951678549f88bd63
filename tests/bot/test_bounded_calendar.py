"""The bounded calendar opens on a month that holds a day it offers: a month kept from an
earlier pick in the same form (the first instalment's December) is not shown blank when the
next pick must fall after it (the second instalment's January on)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

from aiogram_dialog import DialogManager

from bot.ui.calendar import BoundedCalendar, day_calendar


def calendar_from(first: date | None, last: date | None = None) -> BoundedCalendar:
    async def picked(*_args: Any) -> None:
        return None

    widget = day_calendar("due", picked, ZoneInfo("Asia/Shanghai"), lambda _m: (first, last))
    assert isinstance(widget, BoundedCalendar)
    return widget


def manager_showing(month: date | None) -> DialogManager:
    data = {} if month is None else {"due": {"current_offset": month.isoformat()}}
    context = SimpleNamespace(widget_data=data)
    return cast(DialogManager, SimpleNamespace(current_context=lambda: context))


def test_it_opens_on_the_first_day_offered() -> None:
    offset = calendar_from(date(2027, 1, 1)).get_offset(manager_showing(None))
    assert offset == date(2027, 1, 1)


def test_a_month_before_the_days_offered_gives_way_to_their_month() -> None:
    offset = calendar_from(date(2027, 1, 1)).get_offset(manager_showing(date(2026, 12, 1)))
    assert offset == date(2027, 1, 1)


def test_a_month_after_the_last_day_offered_gives_way_to_its_month() -> None:
    widget = calendar_from(date(2026, 11, 23), date(2026, 12, 5))
    assert widget.get_offset(manager_showing(date(2027, 2, 1))) == date(2026, 12, 5)


def test_a_month_the_person_paged_to_stays_while_it_offers_days() -> None:
    widget = calendar_from(date(2026, 11, 24))
    assert widget.get_offset(manager_showing(date(2026, 11, 1))) == date(2026, 11, 1)
    assert widget.get_offset(manager_showing(date(2027, 3, 1))) == date(2027, 3, 1)
