"""The last guard for dialog windows: a window is designed to fit Telegram's limit (lists are
paged, long fields shortened), and one that still does not is cut safely rather than refused,
which would leave the person with an error instead of the form."""

from __future__ import annotations

import logging
from dataclasses import replace

from aiogram import Bot
from aiogram_dialog.api.entities import NewMessage, OldMessage
from aiogram_dialog.manager.message_manager import MessageManager

from bot.ui.fit import fits, shorten_html

log = logging.getLogger(__name__)


class FittingMessageManager(MessageManager):
    async def show_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage | None
    ) -> OldMessage:
        if new_message.text and not fits(new_message.text):
            log.warning("a dialog window over Telegram's limit was shortened")
            new_message = replace(new_message, text=shorten_html(new_message.text))
        return await super().show_message(bot, new_message, old_message)
