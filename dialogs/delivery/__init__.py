from dialogs.delivery.dialog import delivery_dialog
from dialogs.delivery.form import delivery_note_dialog

__all__ = ["delivery_dialog", "delivery_note_dialog"]
