"""Cancel on a form that already holds answers asks first: one mis-tap must not throw away a
ten-field form. A form with nothing typed yet closes at once."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import Data, Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button

from bot.ui.text import Label, Tr
from bot.ui.widgets import buttons_only
from dialogs.states import DiscardSG

DISCARDED = "discard"
EDITING = "editing"  # dialog_data: the id of the saved record a form edits


class FormKind(StrEnum):
    request = "request"
    customer = "customer"
    visit = "visit"
    changes = "changes"  # any form editing a saved record


def cancel_button(kind: FormKind, answers: Collection[str]) -> Button:
    """✖ Cancel: closes the form, after asking when any of `answers` is filled in (about the
    changes when the form edits a saved record)."""

    async def on_cancel(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
        asked = FormKind.changes if manager.dialog_data.get(EDITING) else kind
        if any(key in manager.dialog_data for key in answers):
            await manager.start(DiscardSG.ask, data={"kind": asked.value})
        else:
            await manager.done()

    return Button(Label("✖ Cancel"), id="cancel", on_click=on_cancel)


async def close_if_discarded(_start: Data, result: Any, manager: DialogManager) -> bool:
    """For the form's on_process_result: True when the form was closed as discarded."""
    if isinstance(result, dict) and result.get(DISCARDED):
        await manager.done()
        return True
    return False


async def _kind_getter(dialog_manager: DialogManager, **_kw: Any) -> dict[str, Any]:
    start = dialog_manager.start_data
    kind = start.get("kind") if isinstance(start, dict) else None
    return {name.value: kind == name.value for name in FormKind}


async def _discard(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await manager.done({DISCARDED: True})


async def _keep(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await manager.done()


def discard_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("Discard this request? What you entered is lost.", when=FormKind.request.value),
            Tr("Discard this customer? What you entered is lost.", when=FormKind.customer.value),
            Tr("Discard this visit? What you entered is lost.", when=FormKind.visit.value),
            Tr(
                "Discard your changes? The record stays as it was.",
                when=FormKind.changes.value,
            ),
            Button(Label("🗑 Discard"), id="discard", on_click=_discard),
            Button(Label("✏️ Keep editing"), id="keep", on_click=_keep),
            buttons_only(),
            state=DiscardSG.ask,
            getter=_kind_getter,
        ),
    )
