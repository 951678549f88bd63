from dialogs.customer.dialog import customer_dialog

__all__ = ["customer_dialog"]
