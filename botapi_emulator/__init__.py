"""Local Telegram Bot API emulator, a test driver and a terminal chat for trying the bot."""

from botapi_emulator._models import ApiCall, ChatMessage, FileInfo, Revision, UserInfo
from botapi_emulator.driver import SandboxUser, wait_idle, wait_settled
from botapi_emulator.emulator import BotApiEmulator
from botapi_emulator.terminal import Persona, run_terminal_chat

__all__ = [
    "ApiCall",
    "BotApiEmulator",
    "ChatMessage",
    "FileInfo",
    "Persona",
    "Revision",
    "SandboxUser",
    "UserInfo",
    "run_terminal_chat",
    "wait_idle",
    "wait_settled",
]
