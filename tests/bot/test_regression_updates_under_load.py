"""Updates are never lost, doubled or raced: the inbox and the per-chat runner.

Before: each update held a pooled connection for its whole handler while the dialog state store
took a second one, so about 20 people at once froze the bot for 30-60 s and updates in flight were
dropped ("QueuePool limit of size 5 overflow 10 reached"); polling confirmed updates to Telegram
before handling them, so a crash lost them silently; one person's quick updates ran concurrently.
After: one connection per update, a bound below the pool, one chat's updates in order, and every
update stored before it is confirmed, then handled exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, Update
from harness import FakeClock, Sandbox
from sqlalchemy import func, select

from bot.main import DEFAULT_CAPACITY, Capacity
from bot.sandbox.app import SANDBOX_TOKEN, add_demo_users
from bot.sandbox.demo import DEMO_PEOPLE, seed_demo
from bot.updates import stored
from botapi_emulator.emulator import BotApiEmulator
from storage.tables import InboxRow
from storage.uow import SqlUnitOfWork


@contextlib.asynccontextmanager
async def demo_box(tmp_path: Path, capacity: Capacity = DEFAULT_CAPACITY) -> AsyncIterator[Sandbox]:
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        box = Sandbox(emulator, tmp_path / "bot.db", FakeClock(), capacity=capacity)
        app = await box.start()
        try:
            async with SqlUnitOfWork(app.sessionmaker) as uow:
                await seed_demo(uow, box.clock())
            add_demo_users(emulator)
            yield box
        finally:
            await box.stop()


def answers(box: Sandbox, chat: int) -> list[str]:
    return [m.text for m in box.emulator.transcript(chat) if m.from_bot]


def user_texts(box: Sandbox, chat: int) -> list[str]:
    return [m.text for m in box.emulator.transcript(chat) if not m.from_bot]


async def inbox_counts(box: Sandbox) -> tuple[int, int]:
    assert box.app is not None
    async with box.app.sessionmaker() as session:
        total = await session.scalar(select(func.count()).select_from(InboxRow))
        open_ = await session.scalar(
            select(func.count()).select_from(InboxRow).where(InboxRow.handled_at.is_(None))
        )
    return int(total or 0), int(open_ or 0)


async def test_regression_a_burst_with_several_updates_per_person_is_answered_with_a_small_pool(
    tmp_path: Path,
) -> None:
    """Three connections in all and three chats at once: under the old model two updates would
    each hold one connection and wait for a second. Every /help and /settings is answered, in
    each person's order."""
    async with demo_box(tmp_path, Capacity(update_limit=3, pool_size=3)) as box:
        people = [p.telegram_id for p in DEMO_PEOPLE]
        for _ in range(4):
            for person in people:
                box.emulator.send_text(person, "/help")
        await box.settle()
        for person in people:
            got = answers(box, person)
            assert len(got) == 4, (person, got)
            assert all("/help" in text for text in got)
        assert await inbox_counts(box) == (4 * len(people), 0)


async def test_one_persons_updates_are_handled_one_at_a_time_in_order(tmp_path: Path) -> None:
    async with demo_box(tmp_path) as box:
        assert box.app is not None
        running: dict[int, int] = {}
        overlaps: list[int] = []
        order: list[tuple[int, int]] = []

        async def watch(
            handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
            event: TelegramObject,
            data: dict[str, Any],
        ) -> Any:
            user = data["event_from_user"].id
            running[user] = running.get(user, 0) + 1
            if running[user] > 1:
                overlaps.append(user)
            order.append((user, event.update_id))  # type: ignore[attr-defined]
            await asyncio.sleep(0)  # give another update of the same person a chance to start
            try:
                return await handler(event, data)
            finally:
                running[user] -= 1

        box.app.dp.update.outer_middleware(watch)
        people = [p.telegram_id for p in DEMO_PEOPLE[:4]]
        for _ in range(5):
            for person in people:
                box.emulator.send_text(person, "/help")
        await box.settle()
        assert overlaps == []
        for person in people:
            ids = [update_id for user, update_id in order if user == person]
            assert ids == sorted(ids)
            assert len(ids) == 5


async def test_regression_a_process_killed_with_updates_stored_handles_them_after_restart_once(
    tmp_path: Path,
) -> None:
    """The process stops after storing (and so confirming) updates it never handled; the next
    start handles each of them exactly once."""
    async with demo_box(tmp_path) as box:
        assert box.app is not None
        stuck = asyncio.Event()

        async def hang(handler: Any, event: TelegramObject, data: dict[str, Any]) -> Any:
            await stuck.wait()  # the process is frozen here until it is killed
            return await handler(event, data)

        box.app.dp.update.outer_middleware(hang)
        people = [p.telegram_id for p in DEMO_PEOPLE[:3]]
        for person in people:
            box.emulator.send_text(person, "/help")
        last = box.emulator.last_update_id
        while not box.emulator.update_confirmed(last):
            await box.emulator.wait_for_activity(1.0)
        assert await inbox_counts(box) == (3, 3), "stored before confirmed, not yet handled"
        assert all(answers(box, person) == [] for person in people)

        await box.restart()  # the stuck handlers die with the process
        await box.settle()
        for person in people:
            assert len(answers(box, person)) == 1
        assert await inbox_counts(box) == (3, 0)

        await box.restart()  # nothing is handled twice
        await box.settle()
        for person in people:
            assert len(answers(box, person)) == 1


async def test_the_same_update_id_twice_has_one_effect(tmp_path: Path) -> None:
    async with demo_box(tmp_path) as box:
        assert box.app is not None
        admin = DEMO_PEOPLE[0].telegram_id
        box.emulator.send_text(admin, "/help")
        update = dict(box.emulator.pending[-1])
        await box.settle()
        again = Update.model_validate(update, context={"bot": box.app.bot})
        await box.app.intake.accept([stored(again, json.dumps(update))])
        await box.settle()
        assert len(answers(box, admin)) == 1


async def test_a_failing_update_is_marked_handled_and_the_next_one_runs(tmp_path: Path) -> None:
    async with demo_box(tmp_path) as box:
        assert box.app is not None
        admin = box.user(DEMO_PEOPLE[0].telegram_id)
        failed = False

        async def fail_once(handler: Any, event: TelegramObject, data: dict[str, Any]) -> Any:
            nonlocal failed
            if not failed:
                failed = True
                raise RuntimeError("a bug in one handler")
            return await handler(event, data)

        box.app.dp.update.outer_middleware(fail_once)
        await admin.send("/help")
        assert "Something went wrong" in admin.last_text()
        await admin.send("/help")
        assert "/help" in admin.last_text()
        assert await inbox_counts(box) == (2, 0), "the failed update is not tried again"
