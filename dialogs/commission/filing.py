"""The sales desk files a rep's commission sheet: the rep and the month (the month just ended
unless moved earlier), the sheet generated from the payments and shown, then "File": the
first of the chain gets it to check."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.core.calendar import last_month, month_start
from bot.core.usecases import commission
from bot.ui.paging import pager
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.commission.pages import sheet_pages
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.money_fields import today_of
from dialogs.starts import AtRepMonth
from dialogs.states import CommissionFileSG

REP, MONTH, SHEET = "rep", "month", "sheet"
EARLIEST_MONTHS = 12  # how far back the desk may move the month


def _month(manager: DialogManager) -> date:
    latest = last_month(today_of(manager))
    return date.fromisoformat(manager.dialog_data.get(MONTH) or latest.isoformat())


async def on_start(data: Any, manager: DialogManager) -> None:
    start = AtRepMonth.read(data)
    await commission.reps_to_file(uow_of(manager), person_of(manager).id, policy_of(manager))
    if start is not None:
        manager.dialog_data[REP] = start.rep
        await manager.switch_to(CommissionFileSG.sheet)


async def reps_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    reps = await commission.reps_to_file(
        uow_of(dialog_manager), person_of(dialog_manager).id, policy_of(dialog_manager)
    )
    month = _month(dialog_manager)
    latest = last_month(today_of(dialog_manager))
    return {
        "reps": [(p.id, p.full_name) for p in reps],
        "month": month.strftime("%Y-%m"),
        "later": month < latest,
        "earlier": _months_back(month, latest) < EARLIEST_MONTHS,
    }


def _months_back(month: date, latest: date) -> int:
    return (latest.year - month.year) * 12 + latest.month - month.month


def _shift(manager: DialogManager, months: int) -> None:
    month = _month(manager)
    index = month.year * 12 + month.month - 1 + months
    manager.dialog_data[MONTH] = date(index // 12, index % 12 + 1, 1).isoformat()


async def on_earlier(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    _shift(manager, -1)


async def on_later(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    _shift(manager, 1)


async def on_rep(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, rep: int
) -> None:
    manager.dialog_data[REP] = rep
    await manager.switch_to(CommissionFileSG.sheet)


async def sheet_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    view = await commission.commission_draft(
        uow_of(dialog_manager),
        actor_id=person_of(dialog_manager).id,
        rep_id=int(dialog_manager.dialog_data[REP]),
        month=month_start(_month(dialog_manager)),
        policy=policy_of(dialog_manager),
        today=today_of(dialog_manager),
    )
    pages = sheet_pages(dialog_manager, view, SHEET)
    return {**pages, "any": bool(view.sheet.lines), "none": not view.sheet.lines}


async def on_file(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    async with ends_if_refused(manager, callback, back_to=CommissionFileSG.rep):
        await commission.file_sheet(
            uow_of(manager),
            actor_id=person_of(manager).id,
            rep_id=int(manager.dialog_data[REP]),
            month=_month(manager),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        await manager.switch_to(CommissionFileSG.done)


def commission_filing_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("<b>💼 Commission sheet · {month}</b>\nWhose sheet?"),
            choice_list("reps", "rep", on_rep),
            Row(
                Button(Label("◀ Earlier month"), id="earlier", on_click=on_earlier, when="earlier"),
                Button(Label("Later month ▶"), id="later", on_click=on_later, when="later"),
            ),
            Cancel(Label("Close")),
            buttons_only(),
            state=CommissionFileSG.rep,
            getter=reps_getter,
        ),
        Window(
            Format("{sheet}"),
            pager(SHEET),
            Tr("\nNothing was collected and nothing is deducted: no sheet to file.", when="none"),
            Button(Label("💾 File"), id="file", on_click=on_file, when="any"),
            SwitchTo(Label("◀ Another rep or month"), id="torep", state=CommissionFileSG.rep),
            Cancel(Label("Close")),
            buttons_only(),
            state=CommissionFileSG.sheet,
            getter=sheet_getter,
        ),
        Window(
            Tr("Commission sheet filed. 💼 Finance has it to check."),
            Cancel(Label("Done")),
            buttons_only(),
            state=CommissionFileSG.done,
        ),
        on_start=on_start,
    )
