"""Sentences for the invoice refusals (rule 11), with the exact figures."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.core.collections import InvoiceTooEarly
from bot.core.errors import DomainError
from bot.core.invoices import (
    FullyInvoiced,
    InvoiceAlreadyMoved,
    InvoiceAmount,
    InvoiceNumberTaken,
)
from bot.rendering import money

INVOICE_ERRORS = (
    InvoiceTooEarly,
    InvoiceAmount,
    InvoiceAlreadyMoved,
    FullyInvoiced,
    InvoiceNumberTaken,
)


def invoice_sentence(error: DomainError, currency: str) -> str:
    if isinstance(error, InvoiceTooEarly):
        return _(
            "No invoice yet: collected %(percent)s %% of %(amount)s — %(needed)s more needed."
        ) % {
            "percent": error.percent,
            "amount": money(error.amount, currency),
            "needed": money(error.needed, currency),
        }
    if isinstance(error, InvoiceAmount):
        return _("The invoice amount is above zero and at most %(room)s, not %(asked)s.") % {
            "room": money(error.room, currency),
            "asked": money(error.asked, currency),
        }
    if isinstance(error, InvoiceNumberTaken):
        return _("Invoice No. %(number)s is already recorded, on contract %(contract)s.") % {
            "number": error.number,
            "contract": error.contract or "—",
        }
    if isinstance(error, FullyInvoiced):
        return _("Contract %(number)s is invoiced in full already.") % {
            "number": error.number or "—"
        }
    return _("This invoice is already issued or no longer waits to be issued.")
