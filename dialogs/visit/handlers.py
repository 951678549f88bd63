from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Data, DialogManager
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput
from aiogram_dialog.widgets.kbd import Button, Select

from bot.core.calendar import local
from bot.core.customer_rules import (
    VisitKind,
    check_follow_up,
    check_visit_date,
    follow_up_days,
    visit_days,
)
from bot.core.customers import MAX_PHOTOS, VisitDraft
from bot.core.deals import InputProblem
from bot.core.usecases import customer_register, visits
from bot.rendering import distance
from bot.ui.inputs import input_problem_text
from bot.ui.widgets import widget_key
from dialogs.common import ends_if_refused, now_of, person_of, policy_of, uow_of
from dialogs.discard import close_if_discarded
from dialogs.starts import AtCustomer
from dialogs.states import RegisterSG, VisitSG


def today(manager: DialogManager) -> date:
    return local(now_of(manager), policy_of(manager)).date()


def visit_day_range(manager: DialogManager) -> tuple[date | None, date | None]:
    return visit_days(today(manager), policy_of(manager).visits.backdate_days)


def follow_up_range(manager: DialogManager) -> tuple[date | None, date | None]:
    visited_on = manager.dialog_data.get("visited_on")
    return follow_up_days(date.fromisoformat(visited_on) if visited_on else today(manager))


async def _go(manager: DialogManager, state: Any) -> None:
    await manager.switch_to(VisitSG.confirm if manager.dialog_data.get("editing") else state)


async def choose_customer(manager: DialogManager, customer_id: int) -> None:
    customer = await customer_register.visible_customer(
        uow_of(manager), person_of(manager).id, customer_id
    )
    manager.dialog_data.update(customer=customer.id, customer_name=customer.name)
    await _go(manager, VisitSG.kind)


async def on_start(data: Any, manager: DialogManager) -> None:
    manager.dialog_data.setdefault("visited_on", today(manager).isoformat())
    manager.dialog_data.setdefault("photos", [])
    if (start := AtCustomer.read(data)) is not None:
        await choose_customer(manager, start.customer)


async def on_customer(callback: CallbackQuery, manager: DialogManager, customer_id: int) -> None:
    await choose_customer(manager, customer_id)


async def on_new_customer(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.start(RegisterSG.name)


async def on_result(start_data: Data, result: Any, manager: DialogManager) -> None:
    """Back from a subform: the discard question (close if discarded), or a registration."""
    if not await close_if_discarded(start_data, result, manager):
        await on_registered(start_data, result, manager)


async def on_registered(start_data: Data, result: Any, manager: DialogManager) -> None:
    if isinstance(result, dict) and (result.get("customer_id") or result.get("open")):
        await choose_customer(manager, int(result.get("customer_id") or result["open"]))


async def on_kind(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, kind: str
) -> None:
    manager.dialog_data["kind"] = kind
    await _go(manager, VisitSG.outcome)  # the date is today unless changed on the summary


async def _set_date(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    try:
        check_visit_date(day, today(manager), policy_of(manager).visits.backdate_days)
    except InputProblem as problem:
        await callback.answer(input_problem_text(problem), show_alert=True)
        return
    manager.dialog_data["visited_on"] = day.isoformat()
    await _go(manager, VisitSG.confirm)


async def on_today(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    back = 1 if button.widget_id == "yesterday" else 0
    await _set_date(callback, manager, today(manager) - timedelta(days=back))


async def on_date(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    await _set_date(callback, manager, day)


async def on_outcome(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    manager.dialog_data["outcome"] = text
    await _go(manager, VisitSG.intent)


async def on_intent(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, intent: str
) -> None:
    manager.dialog_data["intent"] = intent
    # The required answers are in. A phone call has no place to check; an on-site visit is
    # asked where the rep is, then everything else waits on the summary.
    on_site = manager.dialog_data.get("kind") != VisitKind.call.value
    await _go(manager, VisitSG.location if on_site else VisitSG.confirm)


async def on_next_step(
    message: Message, _w: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    manager.dialog_data["next_step"] = text
    await _go(manager, VisitSG.confirm)


async def on_skip_next_step(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data["next_step"] = None
    await _go(manager, VisitSG.confirm)


async def _set_follow_up(callback: CallbackQuery, manager: DialogManager, day: date | None) -> None:
    if day is not None:
        try:
            check_follow_up(day, date.fromisoformat(manager.dialog_data["visited_on"]))
        except InputProblem as problem:
            await callback.answer(input_problem_text(problem), show_alert=True)
            return
    manager.dialog_data["follow_up"] = day.isoformat() if day else None
    await _go(manager, VisitSG.confirm)


async def on_follow_in(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    days = {"in3": 3, "in7": 7, "in14": 14}.get(widget_key(button.widget_id))
    await _set_follow_up(callback, manager, today(manager) + timedelta(days=days) if days else None)


async def on_follow_date(callback: CallbackQuery, manager: DialogManager, day: date) -> None:
    await _set_follow_up(callback, manager, day)


async def on_location(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    if message.location is None:
        return
    latitude, longitude = message.location.latitude, message.location.longitude
    try:
        distance, far = await visits.distance_from_customer(
            uow_of(manager),
            actor_id=person_of(manager).id,
            customer_id=int(manager.dialog_data["customer"]),
            latitude=latitude,
            longitude=longitude,
            policy=policy_of(manager),
        )
    except InputProblem as problem:
        await message.answer(input_problem_text(problem))
        return
    manager.dialog_data.update(latitude=latitude, longitude=longitude, distance=distance, far=far)
    await manager.switch_to(VisitSG.confirm)


async def on_skip_location(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.update(latitude=None, longitude=None, distance=None, far=False)
    await manager.switch_to(VisitSG.confirm)


async def on_photo(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    photos: list[str] = manager.dialog_data.setdefault("photos", [])
    if not message.photo:
        return
    if len(photos) >= MAX_PHOTOS:
        await message.answer(
            _("That is enough photos: at most {limit} per visit.").format(limit=MAX_PHOTOS)
        )
        return
    photos.append(message.photo[-1].file_id)


async def on_photos_done(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.switch_to(VisitSG.confirm)


async def on_edit(
    callback: CallbackQuery, _w: Select[str], manager: DialogManager, field: str
) -> None:
    states = {
        "kind": VisitSG.kind,
        "date": VisitSG.date,
        "outcome": VisitSG.outcome,
        "intent": VisitSG.intent,
        "next_step": VisitSG.next_step,
        "follow_up": VisitSG.follow_up,
        "location": VisitSG.location,
        "photos": VisitSG.photos,
    }
    if field in states:
        manager.dialog_data["editing"] = True
        await manager.switch_to(states[field])


def draft_of(data: dict[str, Any]) -> VisitDraft:
    return VisitDraft(
        customer_id=int(data["customer"]),
        kind=data["kind"],
        visited_on=date.fromisoformat(data["visited_on"]),
        outcome=data["outcome"],
        intent=data["intent"],
        next_step=data.get("next_step"),
        next_follow_up=date.fromisoformat(data["follow_up"]) if data.get("follow_up") else None,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        photos=tuple(data.get("photos", [])),
    )


async def on_save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    # E.g. the customer was reassigned meanwhile: the form closes with the reason.
    async with ends_if_refused(manager, callback):
        visit = await visits.log_visit(
            uow_of(manager),
            actor_id=person_of(manager).id,
            draft=draft_of(manager.dialog_data),
            policy=policy_of(manager),
            now=now_of(manager),
        )
        text = _("Visit saved.")
        if visit.far:
            text += " " + _(
                "It was logged {distance} from the customer's location; it is marked for the supervisor."
            ).format(distance=distance(visit.distance_m or 0))
        if callback.message is not None:
            await callback.message.answer(text)
        await manager.done()
