"""Commands that open a dialog, each on a fresh stack: a half-done form never traps anyone."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, StartMode

from bot.commands import spec
from bot.core.models import Person
from dialogs.states import InviteSG, SettingsSG, TeamSG


def router() -> Router:
    r = Router(name="dialog_starts")
    r.message.register(invite, Command("invite"))
    r.message.register(team, Command("team"))
    r.message.register(settings, Command("settings"))
    return r


async def invite(message: Message, person: Person, dialog_manager: DialogManager) -> None:
    if not spec("invite").allowed(person.role):
        await message.answer(_("Sorry, your role does not allow that."))
        return
    await dialog_manager.start(InviteSG.role, mode=StartMode.RESET_STACK)


async def team(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(TeamSG.tree, mode=StartMode.RESET_STACK)


async def settings(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(SettingsSG.main, mode=StartMode.RESET_STACK)
