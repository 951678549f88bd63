"""Delivers the outbox: within Telegram's limits, retrying what can succeed later."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from itertools import groupby

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

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=2)
KeyboardFactory = Callable[[OutboxItem], InlineKeyboardMarkup | None]


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, 600))


class OutboxSender:
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

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        while True:
            try:
                sent = await self.drain_once()
            except Exception:
                log.exception("outbox pass failed")
                sent = 0
            if sent:
                continue
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self._idle_poll)

    async def drain_once(self) -> int:
        now = self._clock()
        items = await self._queue.claim_due(now, self._batch, now + LEASE)
        by_chat = [list(group) for _, group in groupby(sorted(items, key=_chat_order), _chat)]
        await asyncio.gather(*(self._deliver_chat(chat_items) for chat_items in by_chat))
        return len(items)

    async def _deliver_chat(self, items: list[OutboxItem]) -> None:
        for position, item in enumerate(items):
            if not await self._deliver(item):
                # Keep the chat's order: what follows a postponed message waits with it.
                for later in items[position + 1 :]:
                    await self._queue.retry_at(later.id, self._clock() + timedelta(seconds=1), "")
                return

    async def _deliver(self, item: OutboxItem) -> bool:
        """Send one item; False when it was postponed."""
        try:
            await self._limits.acquire(item.chat_id)
            message_id = await self._send(item)
        except TelegramRetryAfter as exc:
            await self._queue.retry_at(
                item.id, self._clock() + timedelta(seconds=exc.retry_after), str(exc)
            )
            return False
        except TelegramForbiddenError as exc:
            await self._queue.fail(item.id, str(exc), unreachable=True)
        except TelegramBadRequest as exc:
            await self._queue.fail(item.id, str(exc), unreachable=False)
        except (TelegramServerError, TelegramNetworkError) as exc:
            if item.attempts >= MAX_ATTEMPTS:
                await self._queue.fail(item.id, str(exc), unreachable=False)
                return True
            await self._queue.retry_at(item.id, self._clock() + backoff(item.attempts), str(exc))
            return False
        else:
            await self._queue.mark_sent(item.id, message_id, self._clock())
        return True

    async def _send(self, item: OutboxItem) -> int:
        locale = item.language or self._i18n.default_locale
        with self._i18n.context(), self._i18n.use_locale(locale):
            text = self._renderer.render(f"notifications/{item.template}", **item.params)
            factory = self._keyboards.get(item.template)
            markup = factory(item) if factory else None
        message = await self._bot.send_message(item.chat_id, text, reply_markup=markup)
        return message.message_id


def _chat(item: OutboxItem) -> int:
    return item.chat_id


def _chat_order(item: OutboxItem) -> tuple[int, int]:
    return item.chat_id, item.id
