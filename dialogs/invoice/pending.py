"""The accountant's section of /pending: the invoices the finance VP signed, to issue."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import Whenable

from bot.core.usecases import invoices
from bot.rendering import money
from bot.ui.fit import BUTTON_TEXT_MAX, clip
from bot.ui.text import Tr
from bot.ui.widgets import choice_list
from dialogs.common import ends_if_refused, person_of, policy_of, uow_of
from dialogs.contract_search import refusal_of
from dialogs.starts import AtInvoice
from dialogs.states import InvoiceIssueSG, PendingSG

WIDGET = "iv"


async def invoice_pending(dialog_manager: DialogManager) -> dict[str, Any]:
    files = await invoices.invoices_to_issue(uow_of(dialog_manager), person_of(dialog_manager).id)
    currency = policy_of(dialog_manager).currency
    items = [
        (
            f.invoice.id,
            clip(
                f"🧾 {f.contract.number or '—'} · {f.customer_name} · "
                f"{money(f.invoice.amount, currency)}",
                BUTTON_TEXT_MAX,
            ),
        )
        for f in files
    ]
    return {WIDGET: items, f"{WIDGET}_count": len(items)}


async def on_invoice(
    callback: CallbackQuery, _w: Any, manager: DialogManager, invoice_id: int
) -> None:
    """Issued by another accountant meanwhile: told so, and the queue stays."""
    async with ends_if_refused(manager, callback, back_to=PendingSG.list, why=refusal_of(manager)):
        await invoices.issue_file(uow_of(manager), person_of(manager).id, invoice_id)
        await manager.start(InvoiceIssueSG.number, data=AtInvoice(invoice_id).data())


def invoice_section() -> list[Whenable]:
    return [
        Tr("<b>Invoices to issue: {iv_count}</b>", when=WIDGET),
        choice_list(WIDGET, WIDGET, on_invoice),
    ]
