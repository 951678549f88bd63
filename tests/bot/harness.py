"""The end-to-end harness: the local Bot API emulator, the real app on a temp SQLite file,
long polling over HTTP, and a clock the test controls."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.main import DEFAULT_CAPACITY, App, Capacity, running
from bot.notifications.limiter import ChatLimits
from bot.sandbox.app import polling, sandbox_app
from botapi_emulator.driver import SandboxUser, wait_idle, wait_settled
from botapi_emulator.emulator import BotApiEmulator
from storage.migrate import upgrade

ADMIN = 1000
_TEMPLATE: Path | None = None


async def copy_migrated_database(target: Path) -> None:
    """A fresh database at the newest schema, copied from one migrated once per test process
    (migrating costs about 0.3 s, copying a millisecond); the app's own migration step then
    finds nothing to do."""
    global _TEMPLATE
    if _TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix="salesbot-template-"))
        template = folder / "template.db"
        await upgrade(f"sqlite+aiosqlite:///{template}")
        _TEMPLATE = template
    for suffix in ("", "-wal"):
        source = _TEMPLATE.with_name(_TEMPLATE.name + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(target.name + suffix))


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 2, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Sandbox:
    emulator: BotApiEmulator
    db_path: Path
    clock: FakeClock
    app: App | None = None
    database_url: str | None = None
    redis_url: str | None = None
    capacity: Capacity = DEFAULT_CAPACITY
    _stack: contextlib.AsyncExitStack | None = None

    def user(self, telegram_id: int, name: str | None = None, language: str = "en") -> SandboxUser:
        if telegram_id not in self.emulator.users:
            self.emulator.add_user(
                telegram_id, name or f"User {telegram_id}", language_code=language
            )
        return self.emulator.user(telegram_id)

    async def start(self) -> App:
        assert self.emulator.base_url is not None
        if self.database_url is None and not self.db_path.exists():
            await copy_migrated_database(self.db_path)
        self.app = sandbox_app(
            self.emulator.base_url,
            str(self.db_path),
            clock=self.clock,
            # Telegram's per-chat pace is the sender's own test; here it would only slow things.
            limits=ChatLimits(overall_rate=1000, chat_rate=1000, chat_burst=1000),
            database_url=self.database_url,
            redis_url=self.redis_url,
            capacity=self.capacity,
        )
        self._stack = contextlib.AsyncExitStack()
        await self._stack.enter_async_context(running(self.app, clock_jobs=False))
        await self._stack.enter_async_context(polling(self.app, self.emulator))
        return self.app

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None

    async def restart(self) -> App:
        """A new process on the same database: nothing survives but what was stored."""
        await self.stop()
        return await self.start()

    async def settle(self) -> None:
        """Wait until the newest update is handled and the bot (and its outbox) went quiet."""
        await wait_settled(self.emulator, self.emulator.last_update_id)
        await self.outbox_idle()

    async def outbox_idle(self) -> None:
        assert self.app is not None
        await asyncio.wait_for(self.app.sender.wait_idle(), 10)
        await wait_idle(self.emulator)

    async def run_jobs(
        self, *, sweep: bool = True, digest: bool = False, follow_ups: bool = False
    ) -> None:
        """What the scheduler's clock would run now, then wait for the messages to go out."""
        assert self.app is not None
        if sweep:
            await self.app.jobs.sweep()
        if digest:
            await self.app.jobs.digest()
        if follow_ups:
            await self.app.jobs.follow_ups()
        self.app.sender.wake()
        await self.outbox_idle()

    async def run_job(self, name: str) -> int:
        """One scheduler job by name (e.g. "meeting_summaries"), then wait for its messages."""
        assert self.app is not None
        sent = int(await getattr(self.app.jobs, name)())
        self.app.sender.wake()
        await self.outbox_idle()
        return sent
