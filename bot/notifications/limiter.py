"""Token buckets for Telegram's limits: about 30 messages a second overall and one a second per
chat, with the short bursts Telegram tolerates in one chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class TokenBucket:
    """`rate` requests a second, up to `burst` of them at once after a quiet spell.

    Requests are paced on a schedule (each one's slot is `1/rate` after the previous slot), not
    relative to when the previous one actually woke up: a late wake-up is made up by a shorter
    wait for the next request, so a busy sender keeps the full rate instead of losing the
    event loop's lateness on every message."""

    def __init__(
        self,
        rate: float,
        burst: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._interval = 1 / rate
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self._monotonic()
            slot = max(self._next_slot, now)
            wait = slot - (self.burst - 1) * self._interval - now
            if wait > 0:
                await self._sleep(wait)
            self._next_slot = slot + self._interval


class ChatLimits:
    """Per chat: `chat_rate` with a burst of `chat_burst`. Overall: `overall_rate`, evenly paced
    with no burst, since a bot-wide burst is what earns a bot-wide flood wait."""

    def __init__(
        self,
        overall_rate: float = 30,
        chat_rate: float = 1,
        chat_burst: float = 3,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.overall = TokenBucket(overall_rate, 1, monotonic, sleep)
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._monotonic = monotonic
        self._sleep = sleep
        self._chats: dict[int, TokenBucket] = {}

    async def acquire(self, chat_id: int) -> None:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = TokenBucket(self._chat_rate, self._chat_burst, self._monotonic, self._sleep)
            self._chats[chat_id] = bucket
        await bucket.acquire()
        await self.overall.acquire()
