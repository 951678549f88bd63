"""A payment against a contract (回款), recorded by the accountant."""

from dialogs.payment.dialog import payment_dialog

__all__ = ["payment_dialog"]
