"""How updates come in and get handled.

The model: an update is stored in the inbox before Telegram is told it arrived (the next
`getUpdates` offset, or the webhook's 200); then it is handled once, in its chat's order.
- One chat's updates run strictly one after another, in every storage mode: two quick taps never
  race inside one dialog.
- Different chats run at once, at most `limit` at a time, and each update holds at most one
  database connection (storage/scope.py); the pool is sized above `limit`, so the outbox sender
  and the scheduler always find a connection.
- An update is marked handled in the transaction of its first change; a crash leaves it unmarked
  and it is handled on the next start. A re-delivered update id is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from bot.core.models import StoredUpdate
from bot.core.ports import Inbox

log = logging.getLogger(__name__)

# Updates read ahead of handling; past this the poller waits, so a backlog stays with Telegram.
READ_AHEAD = 1000
POLL_TIMEOUT = 25


def chat_key(update: Update) -> int:
    """Whose order an update belongs to: the person (their private chat), else the chat."""
    with contextlib.suppress(Exception):
        event = update.event
        user = getattr(event, "from_user", None)
        if user is not None:
            return int(user.id)
        chat = getattr(event, "chat", None)
        if chat is not None:
            return int(chat.id)
    return 0


def stored(update: Update, payload: str | None = None) -> StoredUpdate:
    body = payload if payload is not None else update.model_dump_json(exclude_unset=True)
    return StoredUpdate(update.update_id, chat_key(update), body)


class UpdateRunner:
    """Per-chat queues drained in order; a semaphore bounds how many chats run at once."""

    def __init__(self, handle: Callable[[StoredUpdate], Awaitable[None]], limit: int) -> None:
        self._handle = handle
        self._slots = asyncio.Semaphore(limit)
        self._queues: dict[int, deque[StoredUpdate]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._room = asyncio.Event()
        self._room.set()
        self.handled = 0

    @property
    def pending(self) -> int:
        """Updates submitted and not yet handled."""
        return self._pending

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(self, items: Iterable[StoredUpdate]) -> None:
        for item in items:
            self._pending += 1
            self._idle.clear()
            if self._pending >= READ_AHEAD:
                self._room.clear()
            queue = self._queues.get(item.chat_key)
            if queue is not None:
                queue.append(item)
                continue
            self._queues[item.chat_key] = deque([item])
            task = asyncio.create_task(self._drain(item.chat_key), name=f"chat-{item.chat_key}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _drain(self, key: int) -> None:
        queue = self._queues[key]
        try:
            while queue:
                async with self._slots:
                    item = queue[0]
                    try:
                        await self._handle(item)
                    except Exception:
                        log.exception("update %s could not be handled", item.update_id)
                    queue.popleft()
                    self._done()
        finally:
            if self._queues.get(key) is queue:
                del self._queues[key]
            for _ in queue:  # cancelled with work left: it stays unhandled in the inbox
                self._done()

    def _done(self) -> None:
        self.handled += 1
        self._pending -= 1
        if self._pending < READ_AHEAD // 2:
            self._room.set()
        if self._pending == 0:
            self._idle.set()

    async def wait_room(self) -> None:
        await self._room.wait()

    async def wait_idle(self) -> None:
        await self._idle.wait()

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class UpdateIntake:
    """The inbox in front of the dispatcher: store, then hand over; handle what a crash left."""

    def __init__(self, dp: Dispatcher, bot: Bot, inbox: Inbox, *, limit: int) -> None:
        self.dp = dp
        self.bot = bot
        self.inbox = inbox
        self.runner = UpdateRunner(self._handle, limit)

    async def accept(self, items: list[StoredUpdate]) -> None:
        new = await self.inbox.store(items)
        self.runner.submit(item for item in items if item.update_id in new)

    async def recover(self, *, older_than: timedelta | None = None) -> int:
        """Hand over what was stored but never handled (a previous process stopped first)."""
        before = None if older_than is None else self.inbox.now() - older_than
        items = await self.inbox.unhandled(received_before=before)
        self.runner.submit(items)
        if items:
            log.info("handling %d updates left unhandled by the previous run", len(items))
        return len(items)

    async def _handle(self, item: StoredUpdate) -> None:
        async with self.inbox.handling(item.update_id):
            update = Update.model_validate_json(item.payload, context={"bot": self.bot})
            try:
                response = await self.dp.feed_update(self.bot, update)
                if isinstance(response, TelegramMethod):
                    await self.dp.silent_call_request(self.bot, response)
            except Exception:
                # Handled, unsuccessfully: the error handlers have told the person; the update
                # is not tried again (it would fail again), and the log keeps the trace.
                log.exception("update %s failed", item.update_id)

    async def poll(self, *, poll_seconds: int = POLL_TIMEOUT) -> None:
        """Long polling with a real offset: an update is confirmed only after it was stored."""
        allowed = self.dp.resolve_used_update_types()
        offset: int | None = None
        failures = 0
        while True:
            await self.runner.wait_room()
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=poll_seconds, allowed_updates=allowed
                )
                if updates:
                    await self.accept([stored(update) for update in updates])
                    offset = updates[-1].update_id + 1
                failures = 0
            except (TimeoutError, TelegramAPIError, OSError) as exc:
                failures += 1
                delay = min(2.0**failures / 4, 5.0)
                log.warning("getUpdates failed (%s); again in %.1f s", exc, delay)
                await asyncio.sleep(delay)
            except Exception:
                failures += 1
                log.exception("updates could not be stored; asking Telegram again")
                await asyncio.sleep(min(2.0**failures / 4, 5.0))
