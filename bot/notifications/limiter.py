"""Token buckets for Telegram's limits: about 30 messages a second overall and one a second per
chat, with the short bursts Telegram tolerates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(
        self, rate: float, burst: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._monotonic = monotonic
        self._stamp = monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self) -> None:
        async with self._lock:
            self._refill()
            while self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1


class ChatLimits:
    def __init__(
        self, overall_rate: float = 30, chat_rate: float = 1, chat_burst: float = 3
    ) -> None:
        self.overall = TokenBucket(overall_rate, overall_rate)
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._chats: dict[int, TokenBucket] = {}

    async def acquire(self, chat_id: int) -> None:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = TokenBucket(self._chat_rate, self._chat_burst)
        await bucket.acquire()
        await self.overall.acquire()
