from __future__ import annotations

from bot.i18n import N_

FIELD_LABELS: dict[str, str] = {
    "customer": N_("Customer"),
    "product": N_("Product"),
    "quantity": N_("Quantity"),
    "amount": N_("Amount"),
    "discount": N_("Discount"),
    "payment_terms": N_("Payment terms"),
    "deposit": N_("Deposit"),
    "note": N_("Note"),
}
