from dialogs.settings.dialog import settings_dialog

__all__ = ["settings_dialog"]
