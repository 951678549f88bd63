"""Per-update context: one unit of work, the person behind the update, their language; and the
gate that keeps strangers, deactivated people and group chats out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Chat, ErrorEvent, Message, TelegramObject, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.core.models import Person
from bot.core.ports import UnitOfWork, UnitOfWorkFactory
from bot.core.usecases import reassign, team
from bot.i18n import pick_locale, supported_language

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The unit of work of an update whose handling raised. The error event that follows gets a unit
# of work of its own; this one still tells whether the failed handling had committed its change.
_failed_work: ContextVar[UnitOfWork | None] = ContextVar("failed_work", default=None)


class ContextMiddleware(BaseMiddleware):
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        i18n: I18n,
        *,
        admin_ids: frozenset[int],
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._i18n = i18n
        self._admin_ids = admin_ids
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, ErrorEvent):
            failed = _failed_work.get()
            _failed_work.set(None)
            data["work_saved"] = failed is not None and failed.committed
            return await self._handle(handler, event, data)
        result = await self._handle(handler, event, data)
        _failed_work.set(None)  # handled: nothing is left for an error handler
        return result

    async def _handle(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        now = self._clock()
        async with self._uow_factory() as uow:
            if not isinstance(event, ErrorEvent):
                _failed_work.set(uow)  # stays set only when the handling raises
            person = None
            if user is not None:
                person = await team.identify(
                    uow,
                    telegram_id=user.id,
                    full_name=user.full_name,
                    admin_ids=self._admin_ids,
                    now=now,
                    language=supported_language(user.language_code),
                )
            if person is not None:
                person = await reassign.reachable_again(uow, person=person, now=now)
            locale = pick_locale(
                person.language if person else None,
                getattr(user, "language_code", None),
                self._i18n.default_locale,
            )
            data.update(uow=uow, person=person, locale=locale, now=now)
            with self._i18n.context(), self._i18n.use_locale(locale):
                return await handler(event, data)


def _is_start(event: TelegramObject) -> bool:
    return isinstance(event, Message) and (event.text or "").split(maxsplit=1)[:1] == ["/start"]


async def _tell(event: TelegramObject, text: str) -> None:
    if isinstance(event, Message):
        await event.answer(text)
    elif isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)


class AccessMiddleware(BaseMiddleware):
    """Private chats only; members only (a stranger may send /start with an invite)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        person: Person | None = data.get("person")
        if chat is not None and chat.type != "private":
            if isinstance(event, Message) and not (event.text or "").startswith("/"):
                return None  # in a group, answer commands only; chatter is not for the bot
            await _tell(event, _("Please write to me in a private chat."))
            return None
        if person is None and not _is_start(event):
            await _tell(event, stranger_text())
            return None
        if person is not None and not person.active:
            await _tell(
                event, _("Your access has been switched off. Please ask your administrator.")
            )
            return None
        return await handler(event, data)


def stranger_text() -> str:
    return _(
        "Hello! This bot serves a company's sales team and only works for its members. "
        "To join, ask your manager for an invite link."
    )
