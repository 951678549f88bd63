from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Select

from bot.core.calendar import local
from bot.core.reports import (
    RANGE_DAYS_MAX,
    Dimension,
    PeriodKind,
    PeriodRefused,
    ReportScope,
    check_range,
    scopes_of,
)
from bot.ui.errors import explain, stale_button
from dialogs.common import now_of, person_of, policy_of, tell
from dialogs.states import ReportSG


def today_of(manager: DialogManager) -> date:
    return local(now_of(manager), policy_of(manager)).date()


def last_days(manager: DialogManager) -> tuple[date | None, date | None]:
    """The days a range may end on: from its first day, at most a year on, today at the latest."""
    first = date.fromisoformat(manager.dialog_data["first"])
    return first, min(first + timedelta(days=RANGE_DAYS_MAX - 1), today_of(manager))


async def _after_period(manager: DialogManager) -> None:
    """The scope is asked only of those who may read more than one."""
    scopes = scopes_of(person_of(manager).role)
    if len(scopes) == 1:
        manager.dialog_data["scope"] = scopes[0].value
        await manager.switch_to(ReportSG.dimension)
    else:
        await manager.switch_to(ReportSG.scope)


async def _shown(callback: CallbackQuery, item: str, choices: type[StrEnum]) -> bool:
    """Whether a tapped item is one of the choices; a forged one is answered as stale."""
    if item in choices.__members__:
        return True
    await callback.answer(stale_button(), show_alert=True)
    return False


async def on_period(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, item: str
) -> None:
    if not await _shown(callback, item, PeriodKind):
        return
    manager.dialog_data["kind"] = item
    if PeriodKind(item) is PeriodKind.range:
        await manager.switch_to(ReportSG.first)
        return
    await _after_period(manager)


async def on_first(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    if day > today_of(manager):
        await tell(callback, explain(PeriodRefused("future")))
        return
    manager.dialog_data["first"] = day.isoformat()
    await manager.switch_to(ReportSG.last)


async def on_last(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    first = date.fromisoformat(manager.dialog_data["first"])
    try:
        check_range(first, day, today_of(manager))
    except PeriodRefused as refused:
        await tell(callback, explain(refused))
        return
    manager.dialog_data["last"] = day.isoformat()
    await _after_period(manager)


async def on_scope(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, item: str
) -> None:
    if not await _shown(callback, item, ReportScope):
        return
    manager.dialog_data["scope"] = item  # the report's use case checks it is the reader's
    await manager.switch_to(ReportSG.dimension)


async def on_dimension(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, item: str
) -> None:
    if not await _shown(callback, item, Dimension):
        return
    manager.dialog_data["dimension"] = item
    await manager.switch_to(ReportSG.result)
