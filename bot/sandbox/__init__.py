"""Local Telegram Bot API emulator, a test driver and a terminal chat for trying the bot."""

from bot.sandbox._models import ApiCall, ChatMessage, FileInfo, Revision, UserInfo
from bot.sandbox.driver import SandboxUser, wait_idle, wait_settled
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.terminal import Persona, run_terminal_chat

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
