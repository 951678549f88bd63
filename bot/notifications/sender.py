"""Delivers the outbox: within Telegram's limits, retrying what can succeed later."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.clock import Clock
from bot.core.models import OutboxItem
from bot.core.ports import OutboxQueue
from bot.notifications.limiter import ChatLimits
from bot.rendering import Renderer
from bot.ui.fit import MESSAGE_LIMIT

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TOO_LONG = "message is too long"  # Telegram's 400 for a text over its limit
LEASE = timedelta(minutes=2)
KeyboardFactory = Callable[[OutboxItem], InlineKeyboardMarkup | None]


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, 600))


class OutboxSender:
    """Claims due rows and hands each chat's messages, in order, to a worker of that chat, so a
    chat waiting out its per-chat limit or a `retry_after` never holds up the others."""

    def __init__(
        self,
        bot: Bot,
        queue: OutboxQueue,
        renderer: Renderer,
        i18n: I18n,
        *,
        clock: Clock,
        limits: ChatLimits | None = None,
        keyboards: dict[str, KeyboardFactory] | None = None,
        batch: int = 50,
        idle_poll: float = 1.0,
    ) -> None:
        self._bot = bot
        self._queue = queue
        self._renderer = renderer
        self._i18n = i18n
        self._clock = clock
        self._limits = limits or ChatLimits()
        self._keyboards = keyboards or {}
        self._batch = batch
        self._idle_poll = idle_poll
        self._wakeup = asyncio.Event()
        self._chats: dict[int, list[OutboxItem]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self._running = False

    def wake(self) -> None:
        self._idle.clear()
        self._wakeup.set()

    @property
    def busy(self) -> bool:
        """Delivering, or woken with work to claim (a stopped sender is never busy)."""
        return self._running and not self._idle.is_set()

    async def wait_idle(self) -> None:
        """Until nothing is due and no chat has a message in flight (for tests and shutdown)."""
        await self._idle.wait()

    async def run(self) -> None:
        self._running = True
        try:
            while True:
                # Cleared before the claim: a commit that wakes us during it is not lost.
                self._wakeup.clear()
                try:
                    claimed = await self._claim()
                except Exception:
                    log.exception("outbox claim failed")
                    claimed = 0
                if claimed:
                    continue
                if not self._workers and not self._wakeup.is_set():
                    self._idle.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), self._idle_poll)
        finally:
            self._running = False
            for worker in self._workers.values():
                worker.cancel()

    async def _claim(self) -> int:
        now = self._clock()
        items = await self._queue.claim_due(now, self._batch, now + LEASE)
        for item in items:
            self._chats.setdefault(item.chat_id, []).append(item)
            if item.chat_id not in self._workers:
                self._idle.clear()
                self._workers[item.chat_id] = asyncio.create_task(self._work(item.chat_id))
        return len(items)

    async def _work(self, chat_id: int) -> None:
        try:
            while self._chats.get(chat_id):
                await self._deliver_chat(self._chats.pop(chat_id))
        except Exception:
            log.exception("outbox delivery to chat %s failed", chat_id)
        finally:
            self._workers.pop(chat_id, None)
            self._chats.pop(chat_id, None)
            self._wakeup.set()

    async def drain_once(self) -> int:
        """Claim one batch and deliver it completely."""
        claimed = await self._claim()
        while self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)
        return claimed

    async def _deliver_chat(self, items: list[OutboxItem]) -> None:
        for position, item in enumerate(items):
            postponed_to = await self._deliver(item)
            if postponed_to is not None:
                # Keep the chat's order: what follows a postponed message waits with it.
                for later in items[position + 1 :]:
                    await self._queue.retry_at(later.id, postponed_to, "waits for an earlier one")
                return

    async def _deliver(self, item: OutboxItem) -> datetime | None:
        """Send one item; the time it was postponed to, or None when it is settled."""
        try:
            await self._limits.acquire(item.chat_id)
            message_id = await self._send(item)
        except TelegramRetryAfter as exc:
            return await self._postpone(item, timedelta(seconds=exc.retry_after), str(exc))
        except TelegramForbiddenError as exc:
            await self._queue.fail(item.id, str(exc), unreachable=True)
        except TelegramBadRequest as exc:
            await self._queue.fail(item.id, str(exc), unreachable=False)
        except (TelegramServerError, TelegramNetworkError) as exc:
            if item.attempts < MAX_ATTEMPTS:
                return await self._postpone(item, backoff(item.attempts), str(exc))
            await self._queue.fail(item.id, str(exc), unreachable=False)
        except Exception as exc:
            # A message that cannot be rendered or is refused otherwise must not block its
            # chat: it is settled as failed and the chat moves on.
            log.exception("outbox item %s cannot be delivered", item.id)
            await self._queue.fail(item.id, f"{type(exc).__name__}: {exc}", unreachable=False)
        else:
            await self._queue.mark_sent(item.id, message_id, self._clock())
        return None

    async def _postpone(self, item: OutboxItem, delay: timedelta, error: str) -> datetime:
        at = self._clock() + delay
        await self._queue.retry_at(item.id, at, error)
        return at

    async def _send(self, item: OutboxItem) -> int:
        text, markup = self._compose(item, MESSAGE_LIMIT)
        try:
            return await self._put(item, text, markup)
        except TelegramBadRequest as exc:
            if TOO_LONG not in str(exc):
                raise
            # Telegram counted more than we did: the short form, well inside the limit.
            log.warning("outbox item %s refused as too long; sending its short form", item.id)
            text, markup = self._compose(item, MESSAGE_LIMIT // 2)
            return await self._put(item, text, markup)

    def _compose(self, item: OutboxItem, limit: int) -> tuple[str, InlineKeyboardMarkup | None]:
        locale = item.language or self._i18n.default_locale
        with self._i18n.context(), self._i18n.use_locale(locale):
            text = self._renderer.render_within(
                f"notifications/{item.template}", item.params, limit
            )
            factory = self._keyboards.get(item.template)
            markup = factory(item) if factory else None
        return text, markup

    async def _put(self, item: OutboxItem, text: str, markup: InlineKeyboardMarkup | None) -> int:
        """Edit the earlier message in place when asked to, else send a new one."""
        if item.edit and item.ref is not None:
            message_id = await self._queue.last_sent(item.ref, item.chat_id)
            if message_id is not None and await self._edit(item, message_id, text, markup):
                return message_id
            if item.edit_only:
                return 0  # nothing to edit, and nothing new is wanted
        message = await self._bot.send_message(item.chat_id, text, reply_markup=markup)
        return message.message_id

    async def _edit(
        self, item: OutboxItem, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> bool:
        """Edit in place; False when the message is gone (then a new one is sent)."""
        try:
            await self._bot.edit_message_text(
                text=text, chat_id=item.chat_id, message_id=message_id, reply_markup=markup
            )
        except TelegramBadRequest as exc:
            if "message is not modified" in str(exc):
                return True
            if "message to edit not found" in str(exc) or "can't be edited" in str(exc):
                return False
            raise
        return True
