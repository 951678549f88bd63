"""aiogram-dialog flows, one package per flow; every StatesGroup lives in dialogs/states.py."""
