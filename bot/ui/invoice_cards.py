"""The button on the accountant's "invoice to issue" message (bounded id, checked on the
server like every card button: see bot/ui/cards.py)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.core.models import OutboxItem
from bot.ui.cards import RecordId


class InvoiceCb(CallbackData, prefix="iv"):
    invoice: RecordId


def issue_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=_("🧾 Issue the invoice"),
        callback_data=InvoiceCb(invoice=int(item.params["invoice_id"])).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])
