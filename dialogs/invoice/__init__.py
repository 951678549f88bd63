"""Invoices: the rep or the sales desk asks for one on a contract; the accountant issues it."""

from dialogs.invoice.ask import invoice_ask_dialog
from dialogs.invoice.issue import invoice_issue_dialog

__all__ = ["invoice_ask_dialog", "invoice_issue_dialog"]
