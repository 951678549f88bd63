"""Dialogs through aiogram-dialog's BotClient: updates fed straight into the dispatcher, windows
captured by MockMessageManager. Direct replies (hints, errors) go to the Bot API emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiogram_dialog.test_tools import BotClient, MockMessageManager
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from harness import FakeClock

from bot.config import load_settings
from bot.main import App, build_app
from bot.sandbox.app import SANDBOX_TOKEN
from bot.sandbox.demo import seed_demo
from botapi_emulator.emulator import BotApiEmulator
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

REP = 1005


@dataclass
class Rig:
    app: App
    mm: MockMessageManager
    emulator: BotApiEmulator

    def client(self, user_id: int) -> BotClient:
        self.emulator.add_user(user_id, f"User {user_id}").started = True
        client = BotClient(self.app.dp, user_id=user_id, chat_id=user_id, bot=self.app.bot)
        client.user = client.user.model_copy(update={"language_code": "en"})
        return client

    def text(self) -> str:
        return self.mm.last_message().text or ""

    def replies(self, user_id: int) -> list[str]:
        return [m.text for m in self.emulator.transcript(user_id) if m.from_bot]


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        settings, policy = load_settings(
            bot_token=SANDBOX_TOKEN,
            telegram_api_url=emulator.base_url,
            database_url=url,
            admin_ids="1000",
            redis_url=None,
            webhook_url=None,
        )
        mm = MockMessageManager()
        app = build_app(settings, policy, clock=FakeClock(), message_manager=mm)
        await upgrade(url)
        async with SqlUnitOfWork(app.sessionmaker) as uow:
            await seed_demo(uow, FakeClock()())
        try:
            yield Rig(app, mm, emulator)
        finally:
            await app.bot.session.close()
            await app.engine.dispose()


async def test_deal_form_re_asks_a_wrong_amount_and_keeps_the_rest(rig: Rig) -> None:
    rep = rig.client(REP)
    await rep.send("/deal")
    assert "Which customer?" in rig.text()
    await rep.click(rig.mm.last_message(), InlineButtonTextLocator("➕ New customer"))
    for answer in ("Acme Trading", "Steel pipes", "100"):
        await rep.send(answer)
    assert "Total amount of the deal" in rig.text()

    await rep.send("a lot")
    assert rig.replies(REP)[-1] == "Please type a number, for example 12000 or 12,000.50."
    assert "Total amount of the deal" in rig.text(), "the same question again"

    await rep.send("120,000")
    await rep.send("12")
    summary = rig.text()
    assert "Customer: Acme Trading" in summary
    assert "Product: Steel pipes" in summary
    assert "Amount: ¥120,000.00" in summary
    assert "Discount: 12 %" in summary


async def test_invite_dialog_offers_only_roles_below_the_inviter(rig: Rig) -> None:
    supervisor = rig.client(1004)
    await supervisor.send("/invite")
    await supervisor.send("Li Wei")
    labels = [b.text for row in rig.mm.last_message().reply_markup.inline_keyboard for b in row]
    assert labels == [
        "Sales rep",
        "Sales desk",
        "Accountant",
        "Customer service",
        "◀ Back",
        "✖ Cancel",
    ]
    await supervisor.click(rig.mm.last_message(), InlineButtonTextLocator("Sales rep"))
    assert "Who will the newcomer report to?" in rig.text()
