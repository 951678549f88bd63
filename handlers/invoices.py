"""The button on the accountant's "invoice to issue" message: opens the issue form."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode

from bot.core.models import Person
from bot.core.ports import UnitOfWork
from bot.core.usecases import invoices
from bot.ui.invoice_cards import InvoiceCb
from dialogs.common import open_below
from dialogs.starts import AtInvoice
from dialogs.states import InvoiceIssueSG


def router() -> Router:
    r = Router(name="invoices")
    r.callback_query.register(issue, InvoiceCb.filter())
    return r


async def issue(
    callback: CallbackQuery,
    callback_data: InvoiceCb,
    person: Person,
    uow: UnitOfWork,
    dialog_manager: DialogManager,
) -> None:
    await invoices.issue_file(uow, person.id, callback_data.invoice)
    start = AtInvoice(callback_data.invoice)
    await open_below(callback, dialog_manager, InvoiceIssueSG.number, start, StartMode.RESET_STACK)
