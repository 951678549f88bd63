from dialogs.report.dialog import report_dialog

__all__ = ["report_dialog"]
