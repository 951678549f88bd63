"""Asking for a location with Telegram's one-tap "share my location" reply button."""

from __future__ import annotations

from aiogram_dialog.widgets.kbd import RequestLocation
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory

from bot.ui.text import Label

# A window built with this shows its buttons under the typing field instead of under the
# message: only there can Telegram offer its request-location button.
REPLY_KEYBOARD = ReplyKeyboardFactory(resize_keyboard=True, one_time_keyboard=True)


def share_location_button() -> RequestLocation:
    return RequestLocation(Label("📍 Send my location"))
