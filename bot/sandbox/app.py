"""`salesbot sandbox`: the emulator, the bot and a terminal chat in one process, no token needed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from aiogram import Dispatcher
from aiogram.types import TelegramObject

from bot.clock import Clock, system_clock
from bot.config import load_settings
from bot.labels import role_label
from bot.main import DEFAULT_CAPACITY, App, Capacity, build_app, running
from bot.menus import Menus
from bot.notifications.limiter import ChatLimits
from bot.sandbox.demo import (
    DEMO_PEOPLE,
    NEWCOMER,
    NEWCOMER_CODE,
    STRANGER,
    seed_demo,
    seed_demo_work,
)
from bot.sandbox.week import COMMANDS_HELP, SandboxClock, TimeMachine, opening_morning
from botapi_emulator.emulator import BotApiEmulator
from botapi_emulator.terminal import Persona, run_terminal_chat
from storage.uow import SqlUnitOfWork

SANDBOX_TOKEN = "123456789:sandbox-token-not-for-telegram"
ADMIN_ID = DEMO_PEOPLE[0].telegram_id


class InFlight:
    """Counts events the dispatcher propagates, from the moment they start: background dialog
    starts (aiogram-dialog feeds them to `propagate_event` in a task of their own) are work the
    runner does not see."""

    def __init__(self, dp: Dispatcher) -> None:
        self.count = 0
        self._propagate = dp.propagate_event

    async def propagate_event(self, update_type: str, event: TelegramObject, **kwargs: Any) -> Any:
        self.count += 1
        try:
            return await self._propagate(update_type, event, **kwargs)
        finally:
            self.count -= 1


@contextlib.asynccontextmanager
async def polling(app: App, emulator: BotApiEmulator) -> AsyncIterator[App]:
    """The bot long-polls the emulator until the block ends."""
    in_flight = InFlight(app.dp)
    app.dp.propagate_event = in_flight.propagate_event  # type: ignore[method-assign]
    runner = app.intake.runner
    emulator.bot_busy = lambda: runner.busy or in_flight.count > 0 or app.sender.busy
    task = asyncio.create_task(app.intake.poll(poll_seconds=10), name="polling")
    try:
        await emulator.wait_until_polling()
        yield app
    finally:
        emulator.bot_busy = None
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        del app.dp.propagate_event


def sandbox_app(
    url: str,
    db_path: str,
    *,
    clock: Clock = system_clock,
    limits: ChatLimits | None = None,
    database_url: str | None = None,
    redis_url: str | None = None,
    capacity: Capacity = DEFAULT_CAPACITY,
) -> App:
    settings, policy = load_settings(
        bot_token=SANDBOX_TOKEN,
        telegram_api_url=url,
        database_url=database_url or f"sqlite+aiosqlite:///{db_path}",
        admin_ids=str(ADMIN_ID),
        redis_url=redis_url,
        webhook_url=None,
    )
    return build_app(settings, policy, clock=clock, limits=limits, capacity=capacity)


def add_demo_users(emulator: BotApiEmulator) -> None:
    for demo in DEMO_PEOPLE:
        emulator.add_user(demo.telegram_id, demo.name, language_code=demo.language).started = True
    emulator.add_user(NEWCOMER.telegram_id, NEWCOMER.name, language_code=NEWCOMER.language)
    emulator.add_user(STRANGER.telegram_id, STRANGER.name, language_code=STRANGER.language)


def personas(app: App) -> list[Persona]:
    with app.i18n.context(), app.i18n.use_locale("en"):
        people = [
            Persona(d.telegram_id, d.name, role_label(d.role), d.language) for d in DEMO_PEOPLE
        ]
    return [
        *people,
        Persona(NEWCOMER.telegram_id, NEWCOMER.name, f"invited: /start {NEWCOMER_CODE}", "en"),
        Persona(STRANGER.telegram_id, STRANGER.name, "not a member", "en"),
    ]


def _remove_database(db_path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)


async def run_sandbox(db_path: str = "sandbox.db", *, keep: bool = False) -> None:
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    # aiogram-dialog warns when a handler already answered the tap; not news in a chat view.
    logging.getLogger("aiogram_dialog").setLevel(logging.ERROR)
    logging.getLogger("bot").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if not keep:
        _remove_database(db_path)
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        clock = SandboxClock(system_clock())
        # The emulator does not pace a bot; neither need the demo's messages wait for Telegram's.
        limits = ChatLimits(overall_rate=1000, chat_rate=1000, chat_burst=1000)
        app = sandbox_app(emulator.url, db_path, clock=clock, limits=limits)
        clock.now = opening_morning(app.policy, clock.now)
        machine = TimeMachine(app, clock)
        async with running(app, clock_jobs=False):  # the sandbox's clock runs the jobs
            add_demo_users(emulator)  # before anything is sent to them
            async with SqlUnitOfWork(app.sessionmaker) as uow:
                if await seed_demo(uow, clock()):
                    await seed_demo_work(uow, app.policy, clock())
            await show_menus(app)
            app.sender.wake()
            async with polling(app, emulator):
                await run_terminal_chat(
                    emulator,
                    personas(app),
                    commands={":at": machine.at, ":wait": machine.wait, ":now": machine.now},
                    commands_help=f"{COMMANDS_HELP}\n{machine.describe_now()}",
                    roster=lambda: roster(app),
                )


async def show_menus(app: App) -> None:
    """Each member's "/" menu from their first screen, not only after their first message."""
    menus = Menus(app.i18n)
    async with SqlUnitOfWork(app.sessionmaker) as uow:
        people = await uow.people.all()
    for person in people:
        await menus.sync(app.bot, person, person.language or app.i18n.default_locale)


async def roster(app: App) -> list[Persona]:
    """The people as they are now: a role changed through /team shows in :who."""
    async with SqlUnitOfWork(app.sessionmaker) as uow:
        stored = {p.telegram_id: p for p in await uow.people.all()}
    current = []
    with app.i18n.context(), app.i18n.use_locale("en"):
        for persona in personas(app):
            person = stored.get(persona.user_id)
            if person is None:
                current.append(persona)
                continue
            role = role_label(person.role) if person.active else "switched off"
            current.append(replace(persona, role=role))
    return current
