"""Webhook mode: the emulator pushes updates to the bot's aiohttp endpoint with the secret."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
from harness import ADMIN, FakeClock

from bot.config import load_settings
from bot.main import build_app, running, webhook_server
from bot.sandbox.app import SANDBOX_TOKEN
from botapi_emulator.emulator import BotApiEmulator


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
            emulator.send_text(ADMIN, "/start")
            first = dict(emulator.pending[-1])
            await admin.settle()
            assert "Welcome to the team, Ada Admin!" in admin.last_text()

            async with aiohttp.ClientSession() as http:
                forged = await http.post(hook, json={"update_id": 999999})
                assert forged.status == 401

                headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
                broken = await http.post(hook, data=b"{not json", headers=headers)
                assert broken.status == 400, "malformed JSON with the right secret"
                wrong_shape = await http.post(hook, json={"message": "hi"}, headers=headers)
                assert wrong_shape.status == 400, "no update_id"

                repeat = await http.post(hook, json=first, headers=headers)
                assert repeat.status == 200, "a re-delivered update is confirmed"
            await admin.settle()
            welcomes = [m for m in admin.bot_messages() if "Welcome" in m.text]
            assert len(welcomes) == 1, "the same update_id twice has one effect"


def test_the_webhook_listens_on_the_loopback_unless_told_otherwise() -> None:
    settings, _ = load_settings(
        bot_token=SANDBOX_TOKEN,
        webhook_url="https://bot.example/telegram",
        webhook_secret="s3cret-token",
    )
    assert settings.webhook_host == "127.0.0.1"
    assert settings.webhook_port == 8080
    override, _ = load_settings(
        bot_token=SANDBOX_TOKEN,
        webhook_url="https://bot.example/telegram",
        webhook_secret="s3cret-token",
        webhook_host="0.0.0.0",
    )
    assert override.webhook_host == "0.0.0.0"
