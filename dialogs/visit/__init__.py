from dialogs.visit.dialog import visit_dialog

__all__ = ["visit_dialog"]
