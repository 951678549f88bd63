from dialogs.register.dialog import register_dialog

__all__ = ["register_dialog"]
