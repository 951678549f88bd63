from dialogs.export.dialog import export_dialog

__all__ = ["export_dialog"]
