from __future__ import annotations

import re
from datetime import datetime

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from bot.commands import commands_for
from bot.core.errors import AlreadyMember, DomainError, InviteInvalid
from bot.core.models import Person
from bot.core.ports import UnitOfWork
from bot.core.usecases import team
from bot.i18n import supported_language
from bot.middlewares import stranger_text
from bot.rendering import Renderer
from bot.ui.errors import explain

INVITE_CODE = r"^[A-Za-z0-9_-]{1,64}$"


def router() -> Router:
    r = Router(name="start")
    r.message.register(join, CommandStart(deep_link=True))
    r.message.register(start, CommandStart())
    return r


async def start(
    message: Message,
    person: Person | None,
    renderer: Renderer,
    dialog_manager: DialogManager,
    now: datetime,
) -> None:
    if person is None:
        await message.answer(stranger_text())
        return
    await dialog_manager.reset_stack(remove_keyboard=False)
    # An ADMIN_IDS admin becomes a person with this very update: welcome, not welcome back.
    returning = person.joined_at is None or person.joined_at < now
    await message.answer(welcome(renderer, person, returning=returning))


async def join(
    message: Message,
    command: CommandObject,
    person: Person | None,
    uow: UnitOfWork,
    renderer: Renderer,
    now: datetime,
) -> None:
    if person is not None:
        await message.answer(explain(AlreadyMember()))
        return
    user = message.from_user
    if user is None:
        return
    code = command.args or ""
    try:
        if not re.fullmatch(INVITE_CODE, code):
            raise InviteInvalid("unknown")
        newcomer = await team.redeem_invite(
            uow,
            code=code,
            telegram_id=user.id,
            full_name=user.full_name,
            language=supported_language(user.language_code),
            now=now,
        )
    except DomainError as error:
        await message.answer(explain(error))
        return
    await message.answer(welcome(renderer, newcomer, returning=False))


def welcome(renderer: Renderer, person: Person, *, returning: bool) -> str:
    return renderer.render(
        "welcome",
        name=person.full_name,
        role=person.role,
        returning=returning,
        commands=[(c.name, _(c.description)) for c in commands_for(person.role)],
    )
