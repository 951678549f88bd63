"""Commands that open a dialog, each on a fresh stack: a half-done form never traps anyone."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.state import State
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, StartMode

from bot.commands import spec
from bot.core.models import Person
from dialogs.states import (
    ContractLedgerSG,
    CustomerSG,
    DealSG,
    InviteSG,
    MyRequestsSG,
    PendingSG,
    PlanSG,
    PoolSG,
    ReportSG,
    SettingsSG,
    TeamSG,
    VisitSG,
)


def router() -> Router:
    r = Router(name="dialog_starts")
    r.message.register(_starter("invite", InviteSG.name), Command("invite"))
    r.message.register(team, Command("team"))
    r.message.register(settings, Command("settings"))
    for name, state in (
        ("deal", DealSG.customer),
        ("pending", PendingSG.list),
        ("my", MyRequestsSG.list),
        ("customer", CustomerSG.menu),
        ("pool", PoolSG.list),
        ("visit", VisitSG.customer),
        ("plan", PlanSG.overview),
        ("contract", ContractLedgerSG.ledger),
        ("report", ReportSG.period),
    ):
        r.message.register(_starter(name, state), Command(name))
    return r


def _starter(command: str, state: State) -> Callable[..., Awaitable[None]]:
    async def start(message: Message, person: Person, dialog_manager: DialogManager) -> None:
        if not spec(command).allowed(person.role):
            await message.answer(_("Sorry, your role does not allow that."))
            return
        await dialog_manager.start(state, mode=StartMode.RESET_STACK)

    return start


async def team(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(TeamSG.tree, mode=StartMode.RESET_STACK)


async def settings(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(SettingsSG.main, mode=StartMode.RESET_STACK)
