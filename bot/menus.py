"""The "/" command menu: everyone's default, then each member's own, in their language.

The default menu (strangers, newcomers before they join) holds only the commands everyone may
use. A member's chat gets the commands of their role in their language, set the first time this
process sees them and again whenever their role, language or active flag changed — so a rep
never sees /pending and an accountant never sees /visit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    Message,
    TelegramObject,
    User,
)
from aiogram.utils.i18n import I18n

from bot.commands import COMMANDS, CommandSpec, commands_for
from bot.core.models import Person
from bot.core.ports import UnitOfWork
from bot.i18n import LANGUAGES

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
MenuKey = tuple[str, str, bool]


def _translated(i18n: I18n, specs: list[CommandSpec], locale: str) -> list[BotCommand]:
    with i18n.context(), i18n.use_locale(locale):
        return [BotCommand(command=c.name, description=i18n.gettext(c.description)) for c in specs]


async def register_default_menus(bot: Bot, i18n: I18n) -> None:
    """The menu of people without their own: only what everyone may use, in each language."""
    everyone = [c for c in COMMANDS if c.roles is None]
    default = i18n.default_locale
    for locale, language_code in [*((lang, lang) for lang in LANGUAGES), (default, None)]:
        await bot.set_my_commands(
            _translated(i18n, everyone, locale),
            BotCommandScopeDefault(),
            language_code=language_code,
        )


class Menus:
    """Which menu each member's chat has, as far as this process knows."""

    def __init__(self, i18n: I18n) -> None:
        self._i18n = i18n
        self._shown: dict[int, MenuKey] = {}

    async def sync(self, bot: Bot, person: Person, locale: str) -> None:
        key: MenuKey = (person.role.value, locale, person.active)
        if self._shown.get(person.telegram_id) == key:
            return
        scope = BotCommandScopeChat(chat_id=person.telegram_id)
        try:
            if person.active:
                commands = _translated(self._i18n, commands_for(person.role), locale)
                await bot.set_my_commands(commands, scope)
            else:
                await bot.delete_my_commands(scope)
        except Exception:  # the menu is a convenience: never fail the update for it
            log.warning("could not set the command menu of %s", person.telegram_id, exc_info=True)
            return
        self._shown[person.telegram_id] = key


def _joins(event: TelegramObject) -> bool:
    return isinstance(event, Message) and (event.text or "").startswith("/start ")


class MenuMiddleware(BaseMiddleware):
    """After each private update, bring the sender's menu up to date (their role or language
    may have changed by this very update: joining, /settings, an admin's change)."""

    def __init__(self, menus: Menus) -> None:
        self._menus = menus

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        result = await handler(event, data)
        person: Person | None = data.get("person")
        user: User | None = data.get("event_from_user")
        chat = data.get("event_chat")
        if user is None or chat is None or chat.type != "private":
            return result
        if person is None and _joins(event):
            uow: UnitOfWork = data["uow"]
            person = await uow.people.by_telegram_id(user.id)
        if person is not None:
            await self._menus.sync(
                data["bot"], person, I18n.get_current(no_error=False).current_locale
            )
        return result
