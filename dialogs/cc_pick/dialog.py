"""👥 Inform colleagues (抄送) while filing a request: tap names to choose (up to MAX_CC), type
part of a name to search; the form that opened it gets the choice back and shows it."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Data, DialogManager, StartMode, Window
from aiogram_dialog import Dialog as AiogramDialog
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, Select
from aiogram_dialog.widgets.text import Format

from bot.core.models import Person
from bot.core.usecases import approvals
from bot.core.usecases.approvals import MAX_CC
from bot.labels import role_label
from bot.ui.inputs import text_field
from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only, choice_list, text_up_to
from dialogs.common import person_of, uow_of
from dialogs.discard import close_if_discarded
from dialogs.states import CcPickSG

SEARCH_MAX = 40
CHOSEN = "cc"  # the key the opening form keeps the choice under, in its dialog data


async def _colleagues(manager: DialogManager) -> list[Person]:
    return await approvals.cc_choices(uow_of(manager), person_of(manager).id)


def _chosen(manager: DialogManager) -> list[int]:
    if CHOSEN not in manager.dialog_data:
        start = manager.start_data if isinstance(manager.start_data, dict) else {}
        manager.dialog_data[CHOSEN] = [int(i) for i in start.get(CHOSEN, [])][:MAX_CC]
    return list(manager.dialog_data[CHOSEN])


async def pick_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    chosen = set(_chosen(dialog_manager))
    query = dialog_manager.dialog_data.get("q", "").casefold()
    shown = [
        p
        for p in await _colleagues(dialog_manager)
        if p.id in chosen or not query or query in p.full_name.casefold()
    ]
    shown.sort(key=lambda p: p.id not in chosen)  # the chosen first, then by name
    items = [
        (p.id, f"{'☑️' if p.id in chosen else '▫️'} {p.full_name} · {role_label(p.role)}")
        for p in shown
    ]
    return {
        "items": items,
        "count": len(chosen),
        "max": MAX_CC,
        "query": dialog_manager.dialog_data.get("q", ""),
        "none_found": not items,
    }


async def on_toggle(
    callback: CallbackQuery, _w: Select[int], manager: DialogManager, person_id: int
) -> None:
    chosen = _chosen(manager)
    if person_id in chosen:
        chosen.remove(person_id)
    elif person_id not in {p.id for p in await _colleagues(manager)}:
        await callback.answer(_("That colleague cannot be informed."), show_alert=True)
        return
    elif len(chosen) >= MAX_CC:
        await callback.answer(
            _("You can inform up to %(num)s colleagues.") % {"num": MAX_CC}, show_alert=True
        )
        return
    else:
        chosen.append(person_id)
    manager.dialog_data[CHOSEN] = chosen


async def on_search(
    message: Message, _widget: ManagedTextInput[str], manager: DialogManager, text: str
) -> None:
    manager.dialog_data["q"] = text


async def on_clear(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop("q", None)


async def on_done(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.done({CHOSEN: _chosen(manager)})


async def open_cc_pick(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The button on a filing form's summary."""
    chosen = manager.dialog_data.get(CHOSEN, [])
    await manager.start(CcPickSG.pick, data={CHOSEN: chosen}, mode=StartMode.NORMAL)


async def with_cc_result(start: Data, result: Any, manager: DialogManager) -> bool:
    """A filing form's on_process_result: keeps the colleagues chosen, closes if discarded."""
    if isinstance(result, dict) and CHOSEN in result:
        manager.dialog_data[CHOSEN] = [int(i) for i in result[CHOSEN]]
        return False
    return await close_if_discarded(start, result, manager)


async def cc_names(manager: DialogManager) -> str:
    """The colleagues chosen so far, for the form's summary ('' when none)."""
    chosen = set(manager.dialog_data.get(CHOSEN, []))
    if not chosen:
        return ""
    people = await approvals.people_named(uow_of(manager), chosen)
    return ", ".join(p.full_name for p in people)


def chosen_cc(manager: DialogManager) -> list[int]:
    return [int(i) for i in manager.dialog_data.get(CHOSEN, [])]


def cc_pick_dialog() -> AiogramDialog:
    return AiogramDialog(
        Window(
            Tr("Whom should I inform of the outcome (CC)? Tap names to choose, up to {max}."),
            Tr("Type part of a name to search."),
            Format("🔎 {query}", when="query"),
            Tr("Nobody matches.", when="none_found"),
            choice_list("items", "who", on_toggle),
            Button(Label("✖ Clear the search"), id="clear", on_click=on_clear, when="query"),
            Button(Tr("✅ Done · {count} chosen"), id="done", on_click=on_done),
            text_field("q", text_up_to(SEARCH_MAX), on_search),
            buttons_only(),
            state=CcPickSG.pick,
            getter=pick_getter,
        )
    )
