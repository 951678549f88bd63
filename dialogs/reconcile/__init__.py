from dialogs.reconcile.dialog import reconcile_dialog

__all__ = ["reconcile_dialog"]
