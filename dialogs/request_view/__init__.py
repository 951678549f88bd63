from dialogs.request_view.dialog import request_view_dialog

__all__ = ["request_view_dialog"]
