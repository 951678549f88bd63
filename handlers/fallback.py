from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.ui.errors import stale_button as stale_button_text


def router() -> Router:
    r = Router(name="fallback")
    r.message.register(unknown_command, F.text.startswith("/"))
    r.message.register(anything_else)
    r.callback_query.register(stale_button)
    return r


async def unknown_command(message: Message) -> None:
    await message.answer(_("I don't know that command. Send /help to see what you can do."))


async def anything_else(message: Message) -> None:
    await message.answer(_("I work with commands and buttons. Send /help to see what you can do."))


async def stale_button(callback: CallbackQuery) -> None:
    await callback.answer(stale_button_text(), show_alert=True)
