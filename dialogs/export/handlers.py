from __future__ import annotations

from collections.abc import Callable
from datetime import date

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.calendar import last_month, month_end, month_start
from bot.core.usecases import exports
from bot.core.usecases.exports import ExportKind, Period
from bot.documents import exports as tables
from bot.documents.sheets import Table
from dialogs.common import ends_if_refused, person_of, policy_of, uow_of
from dialogs.contract.getters import today_of
from dialogs.export.send import CSV, XLSX, send_export
from dialogs.states import ExportSG

KIND, FIRST, LAST = "kind", "first", "last"


def kind_of(manager: DialogManager) -> ExportKind:
    return ExportKind(manager.dialog_data[KIND])


def period_of(manager: DialogManager) -> Period | None:
    data = manager.dialog_data
    if kind_of(manager) not in exports.PERIODIC or LAST not in data:
        return None
    return Period.of(date.fromisoformat(data[FIRST]), date.fromisoformat(data[LAST]))


def _set_period(manager: DialogManager, first: date, last: date) -> None:
    manager.dialog_data.update({FIRST: first.isoformat(), LAST: last.isoformat()})


async def on_kind(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, chosen: str
) -> None:
    manager.dialog_data[KIND] = ExportKind(chosen).value
    for key in (FIRST, LAST):
        manager.dialog_data.pop(key, None)
    periodic = kind_of(manager) in exports.PERIODIC
    await manager.switch_to(ExportSG.period if periodic else ExportSG.format)


async def on_month(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    today = today_of(manager)
    month = month_start(today) if button.widget_id == "thism" else last_month(today)
    _set_period(manager, month, month_end(month))
    await manager.switch_to(ExportSG.format)


def first_days(manager: DialogManager) -> tuple[date | None, date | None]:
    return None, today_of(manager)


def last_days(manager: DialogManager) -> tuple[date | None, date | None]:
    return date.fromisoformat(manager.dialog_data[FIRST]), today_of(manager)


async def on_first_day(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    if day > today_of(manager):
        await callback.answer(_("Please pick today or an earlier day."), show_alert=True)
        return
    manager.dialog_data[FIRST] = day.isoformat()
    await manager.switch_to(ExportSG.last)


async def on_last_day(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    if not date.fromisoformat(manager.dialog_data[FIRST]) <= day <= today_of(manager):
        await callback.answer(_("Please pick a day from the first day to today."), show_alert=True)
        return
    manager.dialog_data[LAST] = day.isoformat()
    await manager.switch_to(ExportSG.format)


async def on_format(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    extension = CSV if button.widget_id == "csv" else XLSX
    async with ends_if_refused(manager, callback):
        await _export(callback, manager, extension)
        await manager.done()


Built = tuple[Callable[[], list[Table]], bool]  # the tables, made later; whether cut


async def _export(callback: CallbackQuery, manager: DialogManager, extension: str) -> None:
    kind, period, today = kind_of(manager), period_of(manager), today_of(manager)
    build, truncated = await _read(manager, kind, period, today)
    name = tables.file_name(tables.SLUGS[kind], today, extension, period)
    await send_export(callback, manager, build, name, truncated=truncated)


async def _read(
    manager: DialogManager, kind: ExportKind, period: Period | None, today: date
) -> Built:
    uow, actor, policy = uow_of(manager), person_of(manager).id, policy_of(manager)
    if kind is ExportKind.customers:
        found = await exports.customer_table(uow, actor)
        return (lambda: tables.customer_tables(found, policy)), found.truncated
    if kind is ExportKind.ledger:
        rows = await exports.ledger_export(uow, actor, today)
        return (lambda: tables.ledger_tables(rows, policy, today)), rows.truncated
    if period is None:
        raise ValueError(f"the {kind} export needs a period")
    if kind is ExportKind.visits:
        visits = await exports.visit_log(uow, actor, period)
        return (lambda: tables.visit_tables(visits, policy)), visits.truncated
    money = await exports.collections_export(uow, actor, period, today, policy)
    return (lambda: tables.collection_tables(money, policy)), money.truncated
