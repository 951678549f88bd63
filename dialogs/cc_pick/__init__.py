from dialogs.cc_pick.dialog import cc_pick_dialog

__all__ = ["cc_pick_dialog"]
