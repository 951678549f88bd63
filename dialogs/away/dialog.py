"""Away and delegate: from a day to a day, someone else decides my approvals."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Cancel,
    Column,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format

from bot.core.usecases import delegation
from bot.labels import day_label, role_label
from bot.ui.calendar import day_calendar
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list
from dialogs.common import now_of, person_of, policy_of, uow_of
from dialogs.states import AwaySG


def _day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


async def overview_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    tz = policy_of(dialog_manager).tz
    periods = await delegation.away_periods(
        uow_of(dialog_manager), person_of(dialog_manager).id, now_of(dialog_manager)
    )
    items = [
        (
            d.id,
            f"✖ {day_label(d.starts_at.astimezone(tz))} → "
            f"{day_label(d.ends_at.astimezone(tz) - timedelta(seconds=1))} · {delegate}",
        )
        for d, delegate in periods
    ]
    return {"periods": items, "none": not items}


async def delegates_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    people = await delegation.delegate_candidates(
        uow_of(dialog_manager), person_of(dialog_manager).id, policy_of(dialog_manager)
    )
    items = [(p.id, f"{p.full_name} · {role_label(p.role)}") for p in people]
    return {"people": items, "nobody": not items}


async def confirm_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {
        "start": day_label(date.fromisoformat(data["start"])),
        "end": day_label(date.fromisoformat(data["end"])),
        "delegate": data["delegate_name"],
        "twice": data.get("decides_after", False),
    }


def _first_days(manager: DialogManager) -> tuple[date | None, date | None]:
    return now_of(manager).astimezone(policy_of(manager).tz).date(), None


def _last_days(manager: DialogManager) -> tuple[date | None, date | None]:
    return date.fromisoformat(manager.dialog_data["start"]), None


async def on_start_day(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    if day < now_of(manager).astimezone(policy_of(manager).tz).date():
        await callback.answer(_("Please pick today or a later day."), show_alert=True)
        return
    manager.dialog_data["start"] = day.isoformat()
    await manager.switch_to(AwaySG.end)


async def on_end_day(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    if day < date.fromisoformat(manager.dialog_data["start"]):
        await callback.answer(_("The last day cannot be before the first."), show_alert=True)
        return
    manager.dialog_data["end"] = day.isoformat()
    await manager.switch_to(AwaySG.delegate)


async def on_delegate(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, person_id: int
) -> None:
    choice = await delegation.choose_delegate(
        uow_of(manager), person_of(manager).id, person_id, policy_of(manager)
    )
    manager.dialog_data.update(
        delegate=choice.delegate.id,
        delegate_name=choice.delegate.full_name,
        decides_after=choice.decides_after,
    )
    await manager.switch_to(AwaySG.confirm)


async def on_confirm(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    tz = policy_of(manager).tz
    data = manager.dialog_data
    await delegation.set_away(
        uow_of(manager),
        person_id=person_of(manager).id,
        delegate_id=int(data["delegate"]),
        starts_at=_day_start(date.fromisoformat(data["start"]), tz),
        ends_at=_day_start(date.fromisoformat(data["end"]) + timedelta(days=1), tz),
        policy=policy_of(manager),
        now=now_of(manager),
    )
    await callback.answer(
        _("Saved. Your approvals go to %(name)s while you are away.")
        % {"name": data["delegate_name"]}
    )
    await manager.switch_to(AwaySG.overview)


async def on_cancel_period(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, delegation_id: int
) -> None:
    await delegation.cancel_away(
        uow_of(manager),
        person_id=person_of(manager).id,
        delegation_id=delegation_id,
        now=now_of(manager),
    )


def away_dialog(timezone: ZoneInfo) -> Dialog:
    return Dialog(
        Window(
            Tr(
                "<b>Away and delegate</b>\nWhile you are away, someone you choose decides your approvals."
            ),
            Tr("\nYour away periods (tap one to cancel it):", when=~F["none"]),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="p",
                    item_id_getter=itemgetter(0),
                    items="periods",
                    type_factory=int,
                    on_click=on_cancel_period,
                ),
            ),
            SwitchTo(Label("➕ Set an away period"), id="add", state=AwaySG.start),
            Cancel(Label("Done")),
            buttons_only(),
            state=AwaySG.overview,
            getter=overview_getter,
        ),
        Window(
            Tr("First day away?"),
            day_calendar("from", on_start_day, timezone, _first_days),
            Back(Label("◀ Back")),
            buttons_only(),
            state=AwaySG.start,
        ),
        Window(
            Tr("Last day away?"),
            day_calendar("to", on_end_day, timezone, _last_days),
            Back(Label("◀ Back")),
            buttons_only(),
            state=AwaySG.end,
        ),
        Window(
            Tr("Who decides for you?"),
            Tr(
                "Nobody can: a delegate must be active and hold your role or one above it "
                "in your approval chain.",
                when="nobody",
            ),
            choice_list("people", "d", on_delegate),
            Back(Label("◀ Back")),
            buttons_only(),
            state=AwaySG.delegate,
            getter=delegates_getter,
        ),
        Window(
            Tr("Away from {start} to {end}; {delegate} decides your approvals meanwhile. Save?"),
            Tr(
                "⚠️ {delegate} already decides after you in the chain: "
                "one person would decide two steps.",
                when="twice",
            ),
            Button(Label("✅ Save"), id="save", on_click=on_confirm),
            Back(Label("◀ Back")),
            Cancel(Label("✖ Cancel")),
            buttons_only(),
            state=AwaySG.confirm,
            getter=confirm_getter,
        ),
    )
