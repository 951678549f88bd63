"""The buttons on a commission sheet's card (bot.ui.cards explains the bounded payloads)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.core.models import OutboxItem
from bot.ui.cards import RecordId


class CommissionAct(StrEnum):
    check = "c"  # the role the sheet waits for passes it on (the last one approves)
    back = "r"  # ... or returns it to the desk: the reason is typed next
    pay = "p"  # the accountant marks an approved sheet paid
    open = "o"  # the sheet's screen


class CommissionCb(CallbackData, prefix="cm"):
    sheet: RecordId
    act: CommissionAct


def _button(sheet_id: int, text: str, act: CommissionAct) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=CommissionCb(sheet=sheet_id, act=act).pack()
    )


def commission_keyboard(item: OutboxItem) -> InlineKeyboardMarkup:
    """Check or return while it waits for the recipient; pay once approved; afterwards only
    the way to the sheet."""
    sheet_id = int(item.params["sheet_id"])
    rows = [[_button(sheet_id, _("📄 Open the sheet"), CommissionAct.open)]]
    status, acts = item.params.get("status"), item.params.get("acts")
    if acts and status == "filed":
        rows.insert(
            0,
            [
                _button(
                    sheet_id,
                    _("✅ Approve") if item.params.get("final") else _("✅ Check"),
                    CommissionAct.check,
                ),
                _button(sheet_id, _("↩️ Return"), CommissionAct.back),
            ],
        )
    if acts and status == "approved":
        rows.insert(0, [_button(sheet_id, _("💸 Mark paid"), CommissionAct.pay)])
    return InlineKeyboardMarkup(inline_keyboard=rows)
