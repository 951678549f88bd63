from dialogs.away.dialog import away_dialog

__all__ = ["away_dialog"]
