from dialogs.invite.dialog import invite_dialog

__all__ = ["invite_dialog"]
