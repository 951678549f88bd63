"""A process killed between a commit and the delivery of what it caused: the outbox rows are in
the database, so the next process delivers them, exactly once; what was already delivered is not
delivered again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiogram import Bot
from aiogram.methods import SendMessage, TelegramMethod
from harness import Sandbox
from sqlalchemy import func, select
from test_approval_chain_e2e import MANAGER, REP, SUPERVISOR, file_request
from test_deadlines_e2e import file_directly

from bot.notifications.sender import LEASE
from storage.outbox_queue import SqlOutboxQueue
from storage.tables import OutboxRow


async def kill_sender(demo: Sandbox) -> None:
    """The outbox sender dies; the bot keeps handling updates and committing."""
    assert demo.app is not None
    (task,) = [t for t in demo.app.tasks if t.get_name() == "outbox-sender"]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def restart(demo: Sandbox) -> None:
    """A new process on the same database, given the time to deliver what it finds."""
    app = await demo.restart()
    app.sender.wake()
    await demo.outbox_idle()


async def deliver_now(demo: Sandbox) -> None:
    assert demo.app is not None
    demo.app.sender.wake()
    await demo.outbox_idle()


async def outbox_statuses(demo: Sandbox) -> dict[str, int]:
    assert demo.app is not None
    async with demo.app.sessionmaker() as session:
        rows = await session.execute(
            select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        )
        return {str(status): int(count) for status, count in rows}


def status_messages(demo: Sandbox) -> list[str]:
    return [m.text for m in demo.user(REP).bot_messages() if m.text.startswith("Your request #1")]


def cards(demo: Sandbox, chat: int) -> list[str]:
    return [m.text for m in demo.user(chat).bot_messages() if "Special terms request" in m.text]


async def until(demo: Sandbox, condition: Callable[[], bool]) -> None:
    """Wait (up to 5 s) until the emulator has seen what makes `condition` true."""
    async with asyncio.timeout(5):
        while not condition():
            await demo.emulator.wait_for_activity(1.0)


def sends_to(demo: Sandbox, chat: int) -> int:
    return sum(1 for c in demo.emulator.calls_to("sendMessage") if c.chat_id == chat and c.ok)


async def test_what_was_committed_while_the_sender_was_dead_is_delivered_after_restart(
    demo: Sandbox,
) -> None:
    await kill_sender(demo)
    rep = demo.user(REP)

    await file_request(rep)  # the request and its card are committed; nobody delivers them

    assert cards(demo, SUPERVISOR) == []
    assert status_messages(demo) == []
    assert (await outbox_statuses(demo)).get("pending", 0) >= 2

    await restart(demo)

    assert len(cards(demo, SUPERVISOR)) == 1
    assert len(status_messages(demo)) == 1
    assert set(await outbox_statuses(demo)) == {"sent"}
    card = demo.user(SUPERVISOR).keyboard_message()
    assert card is not None
    assert "✅ Approve" in card.button_labels, "the card is usable after the restart"


async def test_rows_claimed_by_a_process_that_died_go_out_once_their_lease_ends(
    demo: Sandbox,
) -> None:
    await kill_sender(demo)
    await file_directly(demo, wait=False)
    assert demo.app is not None
    # The dead process had claimed the rows (status "sending", leased) and never sent them.
    now = demo.clock()
    taken = await SqlOutboxQueue(demo.app.sessionmaker).claim_due(now, 50, now + LEASE)
    assert len(taken) >= 2

    await restart(demo)
    assert cards(demo, SUPERVISOR) == [], "the lease still holds: nobody else may send them"
    assert (await outbox_statuses(demo)) == {"sending": len(taken)}

    demo.clock.advance(seconds=LEASE.total_seconds() - 1)
    await deliver_now(demo)
    assert cards(demo, SUPERVISOR) == []

    demo.clock.advance(seconds=2)
    await deliver_now(demo)
    assert len(cards(demo, SUPERVISOR)) == 1
    assert len(status_messages(demo)) == 1
    assert set(await outbox_statuses(demo)) == {"sent"}

    demo.clock.advance(minutes=10)
    await deliver_now(demo)
    assert sends_to(demo, SUPERVISOR) == 1, "delivered exactly once"


async def test_a_decision_made_just_before_the_crash_reaches_everyone_after_restart(
    demo: Sandbox,
) -> None:
    rep = demo.user(REP)
    await file_request(rep)
    await demo.settle()
    supervisor = demo.user(SUPERVISOR)
    card = supervisor.keyboard_message()
    assert card is not None
    await kill_sender(demo)

    await supervisor.tap("✅ Approve", message=card)  # committed; the sender is dead

    assert demo.user(MANAGER).keyboard_message() is None
    still = demo.emulator.get_message(SUPERVISOR, card.message_id)
    assert still is not None
    assert still.buttons, "nobody has edited the card yet"

    await restart(demo)

    decided = demo.emulator.get_message(SUPERVISOR, card.message_id)
    assert decided is not None
    assert not decided.buttons, "the old card is edited in place after the restart"
    assert len(cards(demo, SUPERVISOR)) == 1
    manager_card = demo.user(MANAGER).keyboard_message()
    assert manager_card is not None
    assert "Special terms request" in manager_card.text
    status = status_messages(demo)
    assert len(status) == 1, "the status message is edited, not sent again"
    assert "Chen Jing" in status[0]


async def test_what_was_sent_before_a_restart_is_not_sent_again(demo: Sandbox) -> None:
    await file_directly(demo)
    before = len(demo.emulator.calls_to("sendMessage"))
    edits = len(demo.emulator.calls_to("editMessageText"))

    await restart(demo)
    demo.clock.advance(seconds=LEASE.total_seconds() + 60)
    await deliver_now(demo)
    await restart(demo)
    demo.clock.advance(days=1)
    await deliver_now(demo)

    assert len(demo.emulator.calls_to("sendMessage")) == before
    assert len(demo.emulator.calls_to("editMessageText")) == edits
    assert len(cards(demo, SUPERVISOR)) == 1
    assert len(status_messages(demo)) == 1


async def test_a_message_in_flight_when_the_process_stops_goes_out_after_restart(
    demo: Sandbox,
) -> None:
    assert demo.app is not None
    entered = asyncio.Event()
    never = asyncio.Event()

    async def hang(make_request: Any, bot: Bot, method: TelegramMethod[Any]) -> Any:
        """The supervisor's card is on the wire when the process goes down."""
        if isinstance(method, SendMessage) and method.chat_id == SUPERVISOR:
            entered.set()
            await never.wait()
        return await make_request(bot, method)

    demo.app.bot.session.middleware(hang)
    runner = demo.app.intake.runner
    demo.emulator.bot_busy = lambda: runner.busy  # the sender hangs on purpose: not "busy"
    await file_request(demo.user(REP))
    await asyncio.wait_for(entered.wait(), 5)
    await until(demo, lambda: len(status_messages(demo)) == 1)  # other chats are not held up
    async with asyncio.timeout(5):  # and recorded as sent before the process goes down
        while (await outbox_statuses(demo)).get("sent", 0) < 1:
            await demo.emulator.wait_for_activity(0.01)

    await restart(demo)  # stopping cancels the sender mid-delivery
    assert cards(demo, SUPERVISOR) == [], "leased by the dead process: not yet"

    demo.clock.advance(seconds=LEASE.total_seconds() + 1)
    await deliver_now(demo)

    assert len(cards(demo, SUPERVISOR)) == 1
    assert len(status_messages(demo)) == 1
    assert set(await outbox_statuses(demo)) == {"sent"}
