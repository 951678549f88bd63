from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import ScrollingGroup, Select
from aiogram_dialog.widgets.text import Format

from bot.core.deals import clean_text


async def _expect_buttons(message: Message, _widget: MessageInput, manager: DialogManager) -> None:
    await message.answer(_("Please choose with the buttons below, or send /cancel to leave."))
    manager.show_mode = ShowMode.SEND  # the form comes back under the hint, buttons in reach


def buttons_only() -> MessageInput:
    """For windows that take no typing: a typed message gets a hint and the form again."""
    return MessageInput(_expect_buttons)


def text_up_to(limit: int) -> Callable[[str], str]:
    """A TextInput type factory: trimmed text of 1 to `limit` characters (InputProblem else)."""

    def parse(value: str) -> str:
        return clean_text(value, limit=limit)

    return parse


def choice_list(
    items: str,
    widget_id: str,
    on_click: Any,
    *,
    height: int = 8,
    int_ids: bool = True,
    when: str | None = None,
) -> ScrollingGroup:
    """One button per (id, label) pair from the getter's `items`, paged when they are many."""
    return ScrollingGroup(
        Select(
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=itemgetter(0),
            items=items,
            type_factory=int if int_ids else str,
            on_click=on_click,
        ),
        id=f"{widget_id}s",
        width=1,
        height=height,
        hide_on_single_page=True,
        when=when,
    )


def widget_key(widget_id: str | None) -> str:
    """The id of a widget that the handler tells apart by id: every such widget has one."""
    if widget_id is None:
        raise ValueError("this handler serves only widgets with an id")
    return widget_id
