from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput


async def _expect_buttons(message: Message, _widget: MessageInput, manager: DialogManager) -> None:
    await message.answer(_("Please choose with the buttons below, or send /cancel to leave."))
    manager.show_mode = ShowMode.SEND  # the form comes back under the hint, buttons in reach


def buttons_only() -> MessageInput:
    """For windows that take no typing: a typed message gets a hint and the form again."""
    return MessageInput(_expect_buttons)
