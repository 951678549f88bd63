"""Telegram's limits: about 30 messages a second overall and one a second per chat, with the
short bursts Telegram tolerates in one chat."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """`rate` requests a second, up to `burst` of them at once after a quiet spell."""

    def __init__(
        self,
        rate: float,
        burst: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
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


class OverallLimit:
    """At most `rate` requests start within any one second, evenly spread.

    Each request waits for its slot on an even schedule (`1/rate` apart) and for the request
    `rate` places before it to be a second old. A wake-up later than its slot (by up to
    `catch_up`) is made up by the next requests instead of being lost every time; when the
    window holds a request back, the schedule starts again from there, so a catch-up is not
    echoed as a burst a second later. (The bucket this replaces saved up a second's worth: after
    a quiet spell it sent twice the rate within one second.)"""

    def __init__(
        self,
        rate: float,
        catch_up: float = 0.1,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self._interval = 1 / rate
        self._catch_up = catch_up
        self._monotonic = monotonic
        self._sleep = sleep
        self._started: deque[float] = deque(maxlen=max(1, int(rate)))
        self._next_slot = monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            now = self._monotonic()
            slot = max(self._next_slot, now - self._catch_up)
            ready = slot
            if len(self._started) == self._started.maxlen:
                ready = max(ready, self._started[0] + 1)
            if ready > now:
                await self._sleep(ready - now)
            # Held back by the window: the schedule starts again from here, so the window's
            # next second is spread out rather than a copy of a burst a second ago.
            self._next_slot = ready + self._interval
            self._started.append(self._monotonic())


class ChatLimits:
    """Per chat: `chat_rate` with a burst of `chat_burst`. Overall: at most `overall_rate` in any
    one second, evenly spread (see `OverallLimit`), since a bot-wide burst is what earns a
    bot-wide flood wait."""

    def __init__(
        self,
        overall_rate: float = 30,
        chat_rate: float = 1,
        chat_burst: float = 3,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.overall = OverallLimit(overall_rate, monotonic=monotonic, sleep=sleep)
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
