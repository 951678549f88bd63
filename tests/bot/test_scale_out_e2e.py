"""The scale-out path: PostgreSQL for data, Redis for dialog state and event isolation."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from harness import ADMIN, FakeClock, Sandbox
from pgtools import reset_schema
from redis.asyncio import Redis

from bot.sandbox.app import SANDBOX_TOKEN
from botapi_emulator.emulator import BotApiEmulator

pytestmark = pytest.mark.postgres
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
async def scaled(tmp_path: Path, postgres_url: str) -> AsyncIterator[Sandbox]:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except OSError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    await redis.flushdb()
    await redis.aclose()
    await reset_schema(postgres_url)
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        box = Sandbox(
            emulator,
            tmp_path / "unused.db",
            FakeClock(),
            database_url=postgres_url,
            redis_url=REDIS_URL,
        )
        await box.start()
        try:
            yield box
        finally:
            await box.stop()


async def test_invite_dialog_survives_a_restart_on_postgres_and_redis(scaled: Sandbox) -> None:
    admin = scaled.user(ADMIN, "Ada Admin")
    await admin.send("/invite")
    await admin.send("Chen Jing")
    await admin.tap("Sales supervisor")
    keyboard = admin.last()

    await scaled.restart()

    await admin.tap(re.compile(r"Ada Admin · .*"), message=keyboard)
    await admin.tap("✅ Create invite")
    code = re.search(r"\?start=([\w-]+)", admin.last_text())
    assert code is not None
    supervisor = scaled.user(2000, "Chen Jing")
    await supervisor.send(f"/start {code.group(1)}")
    assert "You joined as Sales supervisor" in supervisor.last_text()
    await scaled.settle()
    assert "Chen Jing joined the team" in admin.last_text()
