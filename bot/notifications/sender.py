"""Delivers the outbox: within Telegram's limits, retrying what can succeed later."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.clock import Clock
from bot.core.models import OutboxItem
from bot.core.ports import OutboxQueue
from bot.notifications.limiter import ChatLimits
from bot.rendering import Renderer
from bot.ui.fit import CAPTION_LIMIT, MESSAGE_LIMIT

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
TOO_LONG = "message is too long"  # Telegram's 400 for a text over its limit
LEASE = timedelta(minutes=2)
KeyboardFactory = Callable[[OutboxItem], InlineKeyboardMarkup | None]
# A picture drawn from a message's params, in the reader's language (blocking: run in a thread).
PhotoFactory = Callable[[Mapping[str, Any]], bytes]


def backoff(failures: int) -> timedelta:
    """The pause after a message's n-th real failure (5xx, network error): 2 s, 4 s, 8 s … up
    to 10 minutes. With MAX_ATTEMPTS = 12 a message rides out about 37 minutes of trouble
    (2 + 4 + … + 512 + 600 + 600 s) before it is given up: a Telegram outage or a lost network
    is usually shorter, and an admin sees what was given up (`salesbot outbox failed`)."""
    return timedelta(seconds=min(2**failures, 600))


@dataclass
class _SentMarks:
    """Delivered messages waiting to be recorded together: item id -> Telegram message id."""

    sent: dict[int, int] = field(default_factory=dict)
    written: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class OutboxSender:
    """Claims due rows and hands each chat's messages, in order, to a worker of that chat, so a
    chat waiting out its per-chat limit never holds up the others.

    Only a real failure spends a message's budget (`attempts`): waiting behind an earlier
    message of its chat, a 429 and a re-claim after a lease ran out cost nothing. A 429 is taken
    as bot-wide, because Telegram's answer does not say whether the flood wait is for the chat
    or for the bot, and sending on to other chats during a bot-wide wait only lengthens it: no
    request at all goes out until `retry_after` has passed."""

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
        bundle_windows: dict[str, timedelta] | None = None,
        photos: dict[str, PhotoFactory] | None = None,
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
        # A template listed here edits its last message when that went out within the window
        # (a burst reads as one message), and is sent anew when it is older.
        self._bundle_windows = bundle_windows or {}
        # A template listed here is sent as a photo drawn at send time, the text its caption.
        self._photos = photos or {}
        self._batch = batch
        self._idle_poll = idle_poll
        self._wakeup = asyncio.Event()
        self._chats: dict[int, list[OutboxItem]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        # Chats with claimed rows in memory: about two seconds of the overall rate. A claimed
        # row then waits seconds for its turn, never its lease (which would let it be claimed
        # and sent twice), and a broadcast is not held in memory, thousands of tasks, at once.
        self._max_chats = max(2 * batch, int(self._limits.overall.rate * 2))
        self._paused_until = datetime.min.replace(tzinfo=UTC)
        self._marks: _SentMarks | None = None
        self._mark_writer: asyncio.Task[None] | None = None
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
                # Busy while claiming: rows taken on an unwoken look are "sending" before any
                # worker exists, and whoever waits for the sender to be idle must wait for them.
                self._idle.clear()
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
                    async with asyncio.timeout(self._next_look()):
                        await self._wakeup.wait()
        finally:
            self._running = False
            for worker in self._workers.values():
                worker.cancel()
            if self._mark_writer is not None:
                self._mark_writer.cancel()

    def _next_look(self) -> float:
        """Seconds until the claim loop looks again unwoken: the poll, or the end of a pause."""
        pause = (self._paused_until - self._clock()).total_seconds()
        return min(self._idle_poll, pause) if pause > 0 else self._idle_poll

    async def _claim(self) -> int:
        now = self._clock()
        if now < self._paused_until or len(self._workers) + self._batch > self._max_chats:
            return 0
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
                if later := [later.id for later in items[position + 1 :]]:
                    await self._queue.postpone(later, postponed_to, "waits for an earlier one")
                return

    async def _deliver(self, item: OutboxItem) -> datetime | None:
        """Send one item; the time it was postponed to, or None when it is settled."""
        try:
            # Rendered before its turn, so the request leaves right when the limiter says.
            photo = await self._photo(item)
            text, markup = self._render(item, MESSAGE_LIMIT if photo is None else CAPTION_LIMIT)
            await self._limits.acquire(item.chat_id)
            if self._clock() < self._paused_until:
                await self._queue.postpone([item.id], self._paused_until, "bot-wide flood wait")
                return self._paused_until
            message_id = await self._send(item, text, markup, photo)
        except TelegramRetryAfter as exc:
            until = self._clock() + timedelta(seconds=exc.retry_after)
            self._paused_until = max(self._paused_until, until)
            await self._queue.postpone([item.id], until, str(exc))
            return until
        except TelegramForbiddenError as exc:
            await self._give_up(item, str(exc), unreachable=True)
        except TelegramBadRequest as exc:
            await self._give_up(item, str(exc), unreachable=False)
        except (TelegramServerError, TelegramNetworkError) as exc:
            failures = item.attempts + 1
            if failures < MAX_ATTEMPTS:
                at = self._clock() + backoff(failures)
                await self._queue.retry_after_failure(item.id, at, str(exc))
                return at
            await self._give_up(item, str(exc), unreachable=False)
        except Exception as exc:
            # A message that cannot be rendered or is refused otherwise must not block its
            # chat: it is settled as failed and the chat moves on.
            log.exception("outbox item %s cannot be delivered", item.id)
            await self._give_up(item, f"{type(exc).__name__}: {exc}", unreachable=False)
        else:
            await self._record_sent(item.id, message_id)
        return None

    async def _record_sent(self, item_id: int, message_id: int) -> None:
        """Sent rows are written in one transaction per round, not one each: at 100 msg/s a
        transaction per message kept SQLite's write lock so busy that a write timed out. The
        worker still waits for its row to be written, so an edit of it finds its message."""
        if self._marks is None:
            self._marks = _SentMarks()
        marks = self._marks
        marks.sent[item_id] = message_id
        if self._mark_writer is None or self._mark_writer.done():
            self._mark_writer = asyncio.create_task(self._write_marks())
        await marks.written

    async def _write_marks(self) -> None:
        while (marks := self._marks) is not None:
            self._marks = None
            try:
                await self._queue.mark_sent(marks.sent, self._clock())
            except Exception as exc:
                marks.written.set_exception(exc)
            else:
                marks.written.set_result(None)

    async def _give_up(self, item: OutboxItem, error: str, *, unreachable: bool) -> None:
        # A blocked bot is the person's choice, not a fault: no warning for a 403.
        level = logging.INFO if unreachable else logging.WARNING
        log.log(
            level,
            "outbox item %s to person %s (chat %s) failed for good after %s attempt(s): %s",
            item.id,
            item.recipient_id,
            item.chat_id,
            item.attempts + 1,
            error,
        )
        await self._queue.fail(item.id, error, unreachable=unreachable, now=self._clock())

    @contextlib.contextmanager
    def _language_of(self, item: OutboxItem) -> Iterator[None]:
        with (
            self._i18n.context(),
            self._i18n.use_locale(item.language or self._i18n.default_locale),
        ):
            yield

    async def _photo(self, item: OutboxItem) -> bytes | None:
        """The item's picture, drawn off the event loop in the reader's language (the thread
        inherits the language with the context)."""
        factory = self._photos.get(item.template)
        if factory is None:
            return None
        with self._language_of(item):
            return await asyncio.to_thread(factory, item.params)

    def _render(
        self, item: OutboxItem, limit: int = MESSAGE_LIMIT
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        with self._language_of(item):
            text = self._renderer.render_within(
                f"notifications/{item.template}", item.params, limit
            )
            factory = self._keyboards.get(item.template)
            return text, factory(item) if factory else None

    async def _send(
        self,
        item: OutboxItem,
        text: str,
        markup: InlineKeyboardMarkup | None,
        photo: bytes | None = None,
    ) -> int:
        if photo is not None:
            picture = BufferedInputFile(photo, filename=f"{item.template}.png")
            sent = await self._bot.send_photo(
                item.chat_id, picture, caption=text, reply_markup=markup
            )
            return sent.message_id
        try:
            return await self._put(item, text, markup)
        except TelegramBadRequest as exc:
            if TOO_LONG not in str(exc):
                raise
            # Telegram counted more than we did: the short form, well inside the limit.
            log.warning("outbox item %s refused as too long; sending its short form", item.id)
            text, markup = self._render(item, MESSAGE_LIMIT // 2)
            return await self._put(item, text, markup)

    async def _put(self, item: OutboxItem, text: str, markup: InlineKeyboardMarkup | None) -> int:
        """Edit the earlier message in place when asked to, else send a new one."""
        if item.edit and item.ref is not None:
            window = None if item.edit_only else self._bundle_windows.get(item.template)
            since = self._clock() - window if window is not None else None
            message_id = await self._queue.last_sent(item.ref, item.chat_id, since)
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
