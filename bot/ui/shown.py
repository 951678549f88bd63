"""Forms act only on the buttons they show."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    TelegramObject,
)
from aiogram_dialog import DialogManager
from aiogram_dialog.manager.manager import ManagerImpl
from aiogram_dialog.utils import split_reply_callback

from bot.ui.errors import stale_button

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ShownButtonsOnly(BaseMiddleware):
    """A form acts only on a button it shows now. aiogram-dialog hands any callback data that
    starts with a widget's id to that widget: a Select converts whatever item id came in (a
    59-digit number, an intent "urgent" that is not in the list), a hidden manager-only button
    still runs, a pager takes any page number. So the form's current window is rendered again and
    a tap whose data is on none of its buttons gets the stale-button refusal, before any form code
    runs. Legitimate taps are always on screen: the window shows what its getters return now."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        manager: DialogManager = data["dialog_manager"]
        if isinstance(event, CallbackQuery) and not await _shown(event, manager):
            await event.answer(stale_button(), show_alert=True)
            return None
        return await handler(event, data)


async def _shown(callback: CallbackQuery, manager: DialogManager) -> bool:
    if not isinstance(manager, ManagerImpl):  # the protocol cannot render; every manager is one
        raise TypeError(f"cannot render the window of {type(manager).__name__}")
    markup = (await manager.dialog().render(manager)).reply_markup
    if isinstance(markup, ReplyKeyboardMarkup):  # a reply button's data rides hidden in its text
        return any(
            split_reply_callback(button.text)[1] == callback.data
            for row in markup.keyboard
            for button in row
        )
    if not isinstance(markup, InlineKeyboardMarkup):
        return False
    return any(
        button.callback_data == callback.data for row in markup.inline_keyboard for button in row
    )
