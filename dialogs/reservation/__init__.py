"""The signed reservation (签预定书), recorded by the rep on the approved terms."""

from dialogs.reservation.dialog import reservation_dialog

__all__ = ["reservation_dialog"]
