from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.commands import (
    ANALYSIS_HINT,
    APPROVERS,
    EXPORT_CUSTOMERS_HINT,
    EXPORT_LEDGER_HINT,
    MEETING_HINT,
    MONTHLY_REPORT_HINT,
    MOVES_HINT,
    QUEUE_HINTS,
    RECEPTION_HINT,
    REPORT_HINT,
    REVIEW_HINT,
    commands_for,
)
from bot.core.models import Person
from bot.core.roles import Role
from bot.core.targets import is_targeted
from bot.core.usecases.collection_report import ANALYSTS
from bot.core.usecases.exports import CUSTOMER_EXPORTERS
from bot.core.usecases.ledger import READERS as LEDGER_READERS
from bot.rendering import Renderer


def router() -> Router:
    r = Router(name="basics")
    r.message.register(help_command, Command("help"))
    r.message.register(cancel, Command("cancel"))
    return r


async def help_command(message: Message, person: Person, renderer: Renderer) -> None:
    allowed = commands_for(person.role)
    commands = [(c.name, _(c.description)) for c in allowed]
    names = {c.name for c in allowed}
    hint = QUEUE_HINTS.get(person.role)
    await message.answer(
        renderer.render(
            "help",
            role=person.role,
            commands=commands,
            queue=_(hint) if hint else None,
            analysis=_(ANALYSIS_HINT) if person.role in ANALYSTS else None,
            moves=_(MOVES_HINT) if person.role in APPROVERS else None,
            exports=[
                _(hint)
                for hint, roles in (
                    (EXPORT_CUSTOMERS_HINT, CUSTOMER_EXPORTERS),
                    (EXPORT_LEDGER_HINT, LEDGER_READERS),
                )
                if person.role in roles
            ],
            meeting=_(MEETING_HINT) if person.manages and "plan" in names else None,
            reception=_(RECEPTION_HINT) if "customer" in names else None,
            report=_(REPORT_HINT) if "report" in names else None,
            monthly=_(MONTHLY_REPORT_HINT) if person.role is Role.general_manager else None,
            review=_(REVIEW_HINT)
            if "plan" in names and (person.manages or is_targeted(person))
            else None,
        )
    )


async def cancel(message: Message, dialog_manager: DialogManager) -> None:
    if not dialog_manager.has_context():
        await message.answer(_("There is nothing to cancel."))
        return
    await dialog_manager.reset_stack()
    await message.answer(_("Cancelled. The half-filled form was discarded."))
