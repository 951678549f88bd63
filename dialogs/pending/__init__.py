from dialogs.pending.dialog import pending_dialog

__all__ = ["pending_dialog"]
