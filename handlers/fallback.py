from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, StartMode

from bot.commands import spec
from bot.core.customers import SEARCH_MAX
from bot.core.models import Person
from bot.ui.errors import stale_button as stale_button_text
from dialogs.starts import SearchCustomers
from dialogs.states import CustomerSG


def router() -> Router:
    r = Router(name="fallback")
    r.message.register(unknown_command, F.text.startswith("/"))
    r.message.register(anything_else)
    r.callback_query.register(stale_button)
    return r


async def unknown_command(message: Message) -> None:
    await message.answer(_("I don't know that command. Send /help to see what you can do."))


async def anything_else(
    message: Message, dialog_manager: DialogManager, person: Person | None = None
) -> None:
    """Words typed outside any form are most often a customer's name: those who may look
    customers up get the matches; everyone else is pointed to /help."""
    query = (message.text or "").strip()
    if person is None or not query or not spec("customer").allowed(person.role):
        await message.answer(
            _("I work with commands and buttons. Send /help to see what you can do.")
        )
        return
    await dialog_manager.start(
        CustomerSG.menu,
        data=SearchCustomers(query[:SEARCH_MAX]).data(),  # a search, never "…"-shortened
        mode=StartMode.RESET_STACK,
    )


async def stale_button(callback: CallbackQuery) -> None:
    await callback.answer(stale_button_text(), show_alert=True)
