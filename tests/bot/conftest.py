"""Fixtures for the bot tier; the harness itself lives in harness.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from feed import fed, seeded_template  # noqa: F401 (the fed tier's fixtures)
from harness import FakeClock, Sandbox

from bot.sandbox.app import SANDBOX_TOKEN, add_demo_users
from bot.sandbox.demo import seed_demo
from botapi_emulator.emulator import BotApiEmulator
from storage.uow import SqlUnitOfWork


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        box = Sandbox(emulator, tmp_path / "bot.db", FakeClock())
        await box.start()
        try:
            yield box
        finally:
            await box.stop()


@pytest.fixture
async def demo(sandbox: Sandbox) -> Sandbox:
    """The sandbox with the demo organisation of `salesbot sandbox`."""
    assert sandbox.app is not None
    async with SqlUnitOfWork(sandbox.app.sessionmaker) as uow:
        await seed_demo(uow, sandbox.clock())
    add_demo_users(sandbox.emulator)
    return sandbox
