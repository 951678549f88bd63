from dialogs.transfer.dialog import transfer_dialog

__all__ = ["transfer_dialog"]
