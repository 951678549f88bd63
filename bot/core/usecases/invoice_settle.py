"""What becomes of an invoice when its approval request closes: signed by the finance VP, it
waits for an accountant to issue it; refused, returned or withdrawn, it ends and frees its
amount for a new ask."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.approvals import RequestStatus, RequestView
from bot.core.invoices import Invoice, InvoiceStatus
from bot.core.models import Notification, Person
from bot.core.ports import UnitOfWork
from bot.core.roles import Role

INVOICE_KIND = "invoice"
_AFTER = {
    RequestStatus.approved: InvoiceStatus.approved,
    RequestStatus.rejected: InvoiceStatus.refused,
    RequestStatus.returned: InvoiceStatus.returned,
    RequestStatus.withdrawn: InvoiceStatus.withdrawn,
}


def invoice_ref(invoice_id: int) -> str:
    return f"invoice:{invoice_id}"


async def accountants(uow: UnitOfWork) -> list[Person]:
    return [p for p in await uow.people.all() if p.active and p.role is Role.accountant]


async def settle(uow: UnitOfWork, view: RequestView, now: datetime) -> Invoice | None:
    """Called as an invoice's request closes (approved, refused, returned or withdrawn)."""
    after = _AFTER.get(view.request.status)
    invoice = await uow.invoices.by_request(view.request.id)
    if invoice is None or after is None:
        return None
    moved = replace(invoice, status=after)
    if not await uow.invoices.save(moved, expected=InvoiceStatus.asked):
        return None
    if after is InvoiceStatus.approved:
        params = {**(view.invoice or {}), "customer": view.customer_name}
        await uow.outbox.add_many(
            [
                Notification(p.id, "invoice_to_issue", params, ref=invoice_ref(invoice.id))
                for p in await accountants(uow)
            ],
            now,
        )
    return moved
