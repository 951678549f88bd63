"""What the short record forms share (the reservation, the deposit): the number typed last
read back as understood, a field changed from the summary, and the way back to it."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, SwitchTo

from bot.ui.text import Label
from dialogs.common import renderer_of

EDITING = "editing"  # dialog_data: the form came to a field from its summary


def echo(manager: DialogManager) -> str:
    """ "✓ Amount: ¥20,000.00" for the number typed last ("2万"); empty when none was."""
    data = manager.dialog_data
    field = data.get("echo")
    if not field or data.get(field) is None:
        return ""
    return renderer_of(manager).render("deal_echo", field=field, value=data[field])


def edit_button(label: str, widget_id: str, state: State) -> Button:
    """✏️ on the summary: the field's window, which then returns to the summary."""

    async def edit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        manager.dialog_data.update({EDITING: True, "echo": None})
        await manager.switch_to(state)

    return Button(Label(label), id=widget_id, on_click=edit)


def back_to_summary(summary: State) -> SwitchTo:
    return SwitchTo(
        Label("◀ Back to the summary"), id="tosum", state=summary, when=F["dialog_data"][EDITING]
    )


async def next_or_summary(manager: DialogManager, state: State, summary: State) -> None:
    await manager.switch_to(summary if manager.dialog_data.get(EDITING) else state)
