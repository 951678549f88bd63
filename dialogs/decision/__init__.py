from dialogs.decision.dialog import reason_dialog

__all__ = ["reason_dialog"]
