"""Last line of defence: a clear sentence for the user, never a silent failure."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState

from bot.core.errors import DomainError
from bot.ui.errors import explain

log = logging.getLogger(__name__)


def router() -> Router:
    r = Router(name="errors")
    r.errors.register(
        stale_dialog, ExceptionTypeFilter(UnknownIntent, UnknownState, OutdatedIntent)
    )
    r.errors.register(domain_error, ExceptionTypeFilter(DomainError))
    r.errors.register(unexpected)
    return r


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


async def stale_dialog(event: ErrorEvent, dialog_manager: DialogManager) -> None:
    await _tell(event, _("This form has expired. Please start again with the command."))
    if dialog_manager.has_context():
        await dialog_manager.reset_stack()
    dialog_manager.show_mode = ShowMode.SEND


async def domain_error(event: ErrorEvent) -> None:
    if isinstance(event.exception, DomainError):
        await _tell(event, explain(event.exception))


async def unexpected(event: ErrorEvent, work_saved: bool = False) -> None:
    """`work_saved`: the failed update had already committed its change (the context middleware
    knows), so "nothing was changed" would be untrue and invite doing it twice."""
    log.exception("update failed", exc_info=event.exception)
    if work_saved:
        await _tell(
            event,
            _(
                "Your change was saved, but I could not show the result. "
                "Send the command again to see it."
            ),
        )
        return
    await _tell(event, _("Something went wrong on my side. Nothing was changed; please try again."))
