from dialogs.my_requests.dialog import my_requests_dialog

__all__ = ["my_requests_dialog"]
