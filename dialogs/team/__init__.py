from dialogs.team.dialog import team_dialog

__all__ = ["team_dialog"]
