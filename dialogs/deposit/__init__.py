"""The deposit (定金) and its receipt (收据), recorded by the accountant."""

from dialogs.deposit.dialog import deposit_dialog

__all__ = ["deposit_dialog"]
