"""Webhook mode: the emulator pushes updates to the bot's aiohttp endpoint with the secret."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
from harness import ADMIN, FakeClock

from bot.config import load_settings
from bot.main import build_app, running, webhook_server
from bot.sandbox.app import SANDBOX_TOKEN
from bot.sandbox.emulator import BotApiEmulator


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_updates_arrive_by_webhook_and_need_the_secret(tmp_path: Path) -> None:
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        settings, policy = load_settings(
            bot_token=SANDBOX_TOKEN,
            telegram_api_url=emulator.base_url,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            admin_ids=str(ADMIN),
            webhook_url=hook,
            webhook_secret="s3cret-token",
            redis_url=None,
        )
        app = build_app(settings, policy, clock=FakeClock())
        async with running(app), webhook_server(app, "127.0.0.1", port):
            assert emulator.webhook is not None
            assert emulator.webhook["secret_token"] == "s3cret-token"
            emulator.add_user(ADMIN, "Ada Admin")
            admin = emulator.user(ADMIN)
            await admin.send("/start")
            assert "Welcome back, Ada Admin!" in admin.last_text()

            async with aiohttp.ClientSession() as http:
                forged = await http.post(hook, json={"update_id": 999999})
                assert forged.status == 401
