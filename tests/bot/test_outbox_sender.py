"""The outbox sender against the Bot API emulator, with a real SqlOutboxQueue on a temp SQLite
file and a clock the test moves: retry_after, backoff, the budget of real failures, 403/400,
order per chat, edits in place, and the per-chat pace."""

from __future__ import annotations

import asyncio
import itertools
import logging
import shutil
import socket
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from aiogram.client.telegram import TelegramAPIServer
from harness import FakeClock
from PIL import Image
from sqlalchemy import func, select, update
from test_collection_chart import paid_up_report
from test_regression_screens_outgrow_telegram import six_times_returned

from bot import cli
from bot.core.models import Notification
from bot.core.roles import Role
from bot.core.usecases.approval_views import card_params
from bot.documents.charts import WIDTH_PX
from bot.main import App
from bot.notifications.limiter import ChatLimits
from bot.notifications.sender import LEASE, MAX_ATTEMPTS, OutboxSender
from bot.sandbox.app import SANDBOX_TOKEN, sandbox_app
from botapi_emulator._html import utf16_len
from botapi_emulator.emulator import ApiCall, BotApiEmulator
from storage.migrate import upgrade_sync
from storage.outbox_queue import SqlOutboxQueue
from storage.tables import OutboxRow, PersonRow
from storage.uow import SqlUnitOfWork

ANN, BOB, CAT = 2001, 2002, 2003  # Telegram ids (= private chat ids)
FAST = ChatLimits(overall_rate=1000, chat_rate=1000, chat_burst=1000)


@dataclass
class Rig:
    emulator: BotApiEmulator
    app: App
    clock: FakeClock
    queue: SqlOutboxQueue
    people: dict[int, int]  # Telegram id -> person id

    def sender(self, *, limits: ChatLimits | None = None, batch: int = 50) -> OutboxSender:
        return OutboxSender(
            self.app.bot,
            self.queue,
            self.app.renderer,
            self.app.i18n,
            clock=self.clock,
            limits=limits or FAST,
            batch=batch,
        )

    async def enqueue(
        self, chat: int, label: str, *, ref: str | None = None, edit: bool = False
    ) -> int:
        """Queue a short message that reads "👋 <label> joined the team as …"; its outbox id."""
        return await self.enqueue_raw(
            chat, "member_joined", {"name": label, "role": "rep"}, ref, edit
        )

    async def enqueue_raw(
        self,
        chat: int,
        template: str,
        params: dict[str, object],
        ref: str | None = None,
        edit: bool = False,
    ) -> int:
        async with SqlUnitOfWork(self.app.sessionmaker) as uow:
            notification = Notification(self.people[chat], template, params, ref=ref, edit=edit)
            await uow.outbox.add(notification, self.clock())
            await uow.commit()
            last = await uow.session.scalar(select(func.max(OutboxRow.id)))
        assert last is not None
        return int(last)

    def labels(self, chat: int) -> list[str]:
        """The labels of the visible bot messages in a chat, oldest first."""
        return [
            m.text.split()[1]
            for m in self.emulator.transcript(chat, include_deleted=False)
            if m.from_bot
        ]

    def sends(self, chat: int | None = None) -> list[ApiCall]:
        calls = self.emulator.calls_to("sendMessage")
        return [c for c in calls if chat is None or c.chat_id == chat]

    async def row(self, item_id: int) -> OutboxRow:
        async with self.app.sessionmaker() as session:
            found = await session.get(OutboxRow, item_id)
        assert found is not None
        return found

    async def unreachable(self, chat: int) -> bool:
        async with self.app.sessionmaker() as session:
            person = await session.get(PersonRow, self.people[chat])
        assert person is not None
        return person.unreachable


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the migrations brought to head, once for this module (copied per test)."""
    path = tmp_path_factory.mktemp("outbox") / "migrated.db"
    with ThreadPoolExecutor(1) as pool:  # alembic's env.py runs an event loop of its own
        pool.submit(upgrade_sync, f"sqlite+aiosqlite:///{path}").result()
    return path


@pytest.fixture
async def rig(tmp_path: Path, migrated: Path) -> AsyncIterator[Rig]:
    for suffix in ("", "-wal", "-shm"):
        if (source := Path(f"{migrated}{suffix}")).exists():
            shutil.copyfile(source, tmp_path / f"outbox.db{suffix}")
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        assert emulator.base_url is not None
        clock = FakeClock()
        app = sandbox_app(emulator.base_url, str(tmp_path / "outbox.db"), clock=clock)
        try:
            people: dict[int, int] = {}
            async with SqlUnitOfWork(app.sessionmaker) as uow:
                for telegram_id in (ANN, BOB, CAT):
                    person = await uow.people.add(
                        telegram_id=telegram_id,
                        full_name=f"P{telegram_id}",
                        role=Role.rep,
                        reports_to=None,
                        language="en",
                        joined_at=clock(),
                    )
                    people[telegram_id] = person.id
                await uow.commit()
            for telegram_id in people:
                emulator.add_user(telegram_id, f"P{telegram_id}").started = True
            yield Rig(emulator, app, clock, SqlOutboxQueue(app.sessionmaker), people)
        finally:
            await app.bot.session.close()
            await app.engine.dispose()


def flood(rig: Rig, chat: int, seconds: int = 3) -> None:
    rig.emulator.inject_error(
        "sendMessage",
        error_code=429,
        description=f"Too Many Requests: retry after {seconds}",
        retry_after=seconds,
        chat_id=chat,
    )


# --- 429: retry_after ----------------------------------------------------------------------


async def test_retry_after_postpones_the_message_until_the_clock_has_passed_it(rig: Rig) -> None:
    item = await rig.enqueue(ANN, "m1")
    flood(rig, ANN, 3)
    sender = rig.sender()

    assert await sender.drain_once() == 1
    assert rig.labels(ANN) == []
    assert [(c.ok, c.error_code) for c in rig.sends()] == [(False, 429)]
    row = await rig.row(item)
    assert (row.status, row.next_attempt_at) == ("pending", rig.clock() + timedelta(seconds=3))

    rig.clock.advance(seconds=2.9)
    assert await sender.drain_once() == 0
    assert len(rig.sends()) == 1, "nothing is tried before retry_after has passed"

    rig.clock.advance(seconds=0.1)
    assert await sender.drain_once() == 1
    assert rig.labels(ANN) == ["m1"]
    row = await rig.row(item)
    assert (row.status, row.attempts, row.error) == ("sent", 0, None), "a 429 costs no attempt"
    assert row.message_id == rig.emulator.transcript(ANN)[-1].message_id

    rig.clock.advance(minutes=30)
    assert await sender.drain_once() == 0
    assert rig.labels(ANN) == ["m1"], "sent exactly once"
    assert len(rig.sends()) == 2


async def test_the_running_sender_waits_out_retry_after_on_the_clock(rig: Rig) -> None:
    sender = rig.sender()
    task = asyncio.create_task(sender.run())
    try:
        flood(rig, ANN, 3)
        await rig.enqueue(ANN, "m1")
        sender.wake()
        await asyncio.wait_for(sender.wait_idle(), 5)
        assert rig.labels(ANN) == []

        sender.wake()  # a tick before retry_after has passed
        await asyncio.wait_for(sender.wait_idle(), 5)
        assert rig.labels(ANN) == []

        rig.clock.advance(seconds=3)
        sender.wake()
        await asyncio.wait_for(sender.wait_idle(), 5)
        assert rig.labels(ANN) == ["m1"]
        assert [c.ok for c in rig.sends()] == [False, True]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


# --- 5xx and network errors: backoff ---------------------------------------------------------


async def test_server_errors_back_off_and_retry(rig: Rig) -> None:
    item = await rig.enqueue(ANN, "m1")
    rig.emulator.inject_error(
        "sendMessage", error_code=500, description="Internal Server Error", times=2
    )
    sender = rig.sender()
    start = rig.clock()

    await sender.drain_once()
    assert (await rig.row(item)).next_attempt_at == start + timedelta(seconds=2)
    rig.clock.advance(seconds=2)
    await sender.drain_once()
    row = await rig.row(item)
    assert row.next_attempt_at == start + timedelta(seconds=2 + 4), "the pause doubles"
    assert "Internal Server Error" in (row.error or "")

    rig.clock.advance(seconds=3)
    assert await sender.drain_once() == 0
    rig.clock.advance(seconds=1)
    await sender.drain_once()

    assert rig.labels(ANN) == ["m1"]
    assert [c.error_code for c in rig.sends()] == [500, 500, None]
    assert (await rig.row(item)).status == "sent"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_network_errors_back_off_and_retry(rig: Rig) -> None:
    item = await rig.enqueue(ANN, "m1")
    session = rig.app.bot.session
    working = session.api
    session.api = TelegramAPIServer.from_base(f"http://127.0.0.1:{_closed_port()}")
    sender = rig.sender()

    await sender.drain_once()  # connection refused: TelegramNetworkError
    row = await rig.row(item)
    assert (row.status, row.next_attempt_at) == ("pending", rig.clock() + timedelta(seconds=2))
    assert rig.sends() == []

    session.api = working
    rig.clock.advance(seconds=2)
    await sender.drain_once()

    assert rig.labels(ANN) == ["m1"]
    assert (await rig.row(item)).status == "sent"


async def test_server_errors_back_off_on_a_doubling_schedule_up_to_ten_minutes(
    rig: Rig,
) -> None:
    item = await rig.enqueue(ANN, "m1")
    rig.emulator.inject_error("sendMessage", error_code=502, description="Bad Gateway", times=100)
    sender = rig.sender()
    pauses = []

    for _ in range(MAX_ATTEMPTS - 1):
        await sender.drain_once()
        row = await rig.row(item)
        pauses.append((row.next_attempt_at - rig.clock()).total_seconds())
        rig.clock.now = row.next_attempt_at

    assert pauses == [2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600]
    assert sum(pauses) == 2222, "about 37 minutes of trouble before the message is given up"


async def test_server_errors_give_up_after_max_attempts_visibly(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    item = await rig.enqueue(ANN, "m1")
    rig.emulator.inject_error("sendMessage", error_code=502, description="Bad Gateway", times=100)
    sender = rig.sender()

    with caplog.at_level(logging.WARNING, logger="bot.notifications.sender"):
        for _ in range(MAX_ATTEMPTS + 3):
            await sender.drain_once()
            rig.clock.advance(minutes=11)  # past the longest pause (10 minutes)

    assert len(rig.sends()) == MAX_ATTEMPTS
    row = await rig.row(item)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert not await rig.unreachable(ANN), "a server error says nothing about the person"
    [warning] = caplog.records
    assert warning.levelno == logging.WARNING
    message = warning.getMessage()
    assert f"outbox item {item} to person {rig.people[ANN]} (chat {ANN})" in message
    assert "Bad Gateway" in message

    listing = await cli.failed_outbox(rig.app.settings, rig.app.policy, limit=5)

    header, line = listing.splitlines()
    assert header.split()[:4] == ["id", "failed", "at", "(Asia/Shanghai)"]
    assert line.split()[:6] == [
        str(item),
        "2026-11-23",
        f"{row.failed_at.astimezone(rig.app.policy.tz):%H:%M:%S}",
        str(rig.people[ANN]),
        f"P{ANN}",
        "member_joined",
    ]
    assert line.endswith("Bad Gateway")


# --- the budget is spent by real failures only ---------------------------------------------------


async def test_regression_429_storm_then_one_5xx_delivers_the_message(rig: Rig) -> None:
    """Before: every claim added to `attempts`, so the second message, claimed again each time
    the first one met a 429, had spent its whole budget waiting; its one 502 then failed it for
    good. After: waiting costs nothing, the 502 is its first real failure, both arrive."""
    first = await rig.enqueue(ANN, "m1")
    second = await rig.enqueue(ANN, "m2")
    rig.emulator.inject_error(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
        times=7,
        chat_id=ANN,
    )
    rig.emulator.inject_error(
        "sendMessage", error_code=502, description="Bad Gateway", text_contains="m2"
    )
    sender = rig.sender()

    for _ in range(7):
        await sender.drain_once()
        assert len(rig.sends(ANN)) == len(rig.emulator.calls_to("sendMessage"))
        rig.clock.advance(seconds=0.9)
        assert await sender.drain_once() == 0, "nothing inside retry_after"
        rig.clock.advance(seconds=0.1)
    await sender.drain_once()  # m1 goes; m2 meets the 502 and backs off 2 s
    rig.clock.advance(seconds=2)
    await sender.drain_once()

    assert rig.labels(ANN) == ["m1", "m2"]
    assert [c.error_code for c in rig.sends(ANN)] == [429] * 7 + [None, 502, None]
    rows = [await rig.row(first), await rig.row(second)]
    assert [(r.status, r.attempts) for r in rows] == [("sent", 0), ("sent", 1)]


async def test_regression_waiting_behind_an_earlier_message_costs_no_attempt(rig: Rig) -> None:
    """Before: a message held back while an earlier one of its chat backed off was claimed
    (and charged an attempt) on every round. After: only its own failures count."""
    first = await rig.enqueue(ANN, "m1")
    second = await rig.enqueue(ANN, "m2")
    rig.emulator.inject_error(
        "sendMessage", error_code=500, description="Internal Server Error", times=3
    )
    sender = rig.sender()

    for _ in range(4):
        await sender.drain_once()
        rig.clock.advance(minutes=1)

    assert rig.labels(ANN) == ["m1", "m2"]
    rows = [await rig.row(first), await rig.row(second)]
    assert [(r.status, r.attempts) for r in rows] == [("sent", 3), ("sent", 0)]


async def test_regression_a_reclaim_after_a_429_or_a_lease_costs_no_attempt(rig: Rig) -> None:
    """Before: each re-claim, after a 429 or after a dead sender's lease ran out, added to
    `attempts`. After: neither is a failure of the message; a 429 waits exactly retry_after."""
    item = await rig.enqueue(ANN, "m1")
    flood(rig, ANN, 1)
    await rig.queue.claim_due(rig.clock(), 10, rig.clock() + LEASE)  # a sender that then died
    rig.clock.advance(seconds=LEASE.total_seconds() + 1)
    sender = rig.sender()

    await sender.drain_once()  # retaken after the lease: a 429
    row = await rig.row(item)
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at == rig.clock() + timedelta(seconds=1)
    rig.clock.advance(seconds=1)
    await sender.drain_once()

    assert rig.labels(ANN) == ["m1"]
    row = await rig.row(item)
    assert (row.status, row.attempts) == ("sent", 0)


# --- a 429 holds the whole bot -------------------------------------------------------------------


async def test_after_a_429_nothing_is_claimed_for_any_chat_until_retry_after_has_passed(
    rig: Rig,
) -> None:
    await rig.enqueue(ANN, "a1")
    flood(rig, ANN, 3)
    sender = rig.sender()
    await sender.drain_once()

    await rig.enqueue(BOB, "b1")
    assert await sender.drain_once() == 0
    rig.clock.advance(seconds=2.9)
    assert await sender.drain_once() == 0
    assert [c.chat_id for c in rig.sends()] == [ANN], "a bot-wide flood wait: nobody is sent to"

    rig.clock.advance(seconds=0.1)
    assert await sender.drain_once() == 2
    assert (rig.labels(ANN), rig.labels(BOB)) == (["a1"], ["b1"])


class WatchedQueue(SqlOutboxQueue):
    """Says when a row was first postponed."""

    def __init__(self, rig: Rig) -> None:
        super().__init__(rig.app.sessionmaker)
        self.postponed = asyncio.Event()

    async def postpone(self, item_ids: Sequence[int], until: datetime, reason: str) -> None:
        await super().postpone(item_ids, until, reason)
        self.postponed.set()


class AnnFirst(ChatLimits):
    """Lets Ann's message go at once; the others only once something was postponed."""

    def __init__(self, queue: WatchedQueue) -> None:
        super().__init__(overall_rate=1000, chat_rate=1000, chat_burst=1000)
        self.queue = queue

    async def acquire(self, chat_id: int) -> None:
        if chat_id != ANN:
            await self.queue.postponed.wait()
        await super().acquire(chat_id)


async def test_messages_already_claimed_for_other_chats_wait_out_a_429_at_no_cost(
    rig: Rig,
) -> None:
    items = [await rig.enqueue(chat, "x") for chat in (ANN, BOB, CAT)]
    flood(rig, ANN, 3)
    queue = WatchedQueue(rig)
    sender = OutboxSender(
        rig.app.bot,
        queue,
        rig.app.renderer,
        rig.app.i18n,
        clock=rig.clock,
        limits=AnnFirst(queue),
    )

    await sender.drain_once()  # Bob's and Cat's turns come after Ann's 429 is back

    assert [c.chat_id for c in rig.sends()] == [ANN]
    rows = [await rig.row(i) for i in items]
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {
        ("pending", 0, rig.clock() + timedelta(seconds=3))
    }
    rig.clock.advance(seconds=3)
    await sender.drain_once()
    assert [rig.labels(chat) for chat in (ANN, BOB, CAT)] == [["x"], ["x"], ["x"]]


# --- what the sender holds in memory -------------------------------------------------------------


class HeldLimits(ChatLimits):
    """Lets nothing through until `release`, counting who waits."""

    def __init__(self, overall_rate: float) -> None:
        super().__init__(overall_rate=overall_rate)
        self.waiting = 0
        self.gate = asyncio.Event()
        self.crowd: asyncio.Event = asyncio.Event()
        self.crowd_size = 0

    async def acquire(self, chat_id: int) -> None:
        self.waiting += 1
        if self.waiting == self.crowd_size:
            self.crowd.set()
        await self.gate.wait()


async def test_the_sender_holds_no_more_chats_than_it_sends_to_within_seconds(
    rig: Rig,
) -> None:
    people = {}
    async with SqlUnitOfWork(rig.app.sessionmaker) as uow:
        for telegram_id in range(3000, 3040):
            person = await uow.people.add(
                telegram_id=telegram_id,
                full_name=f"P{telegram_id}",
                role=Role.rep,
                reports_to=None,
                language="en",
                joined_at=rig.clock(),
            )
            people[telegram_id] = person.id
            rig.emulator.add_user(telegram_id, f"P{telegram_id}").started = True
        await uow.commit()
    rig.people.update(people)
    for telegram_id in people:
        await rig.enqueue(telegram_id, "x")
    limits = HeldLimits(overall_rate=1)  # two seconds at 1 msg/s, but two batches at least
    limits.crowd_size = 20
    sender = rig.sender(limits=limits, batch=10)
    task = asyncio.create_task(sender.run())
    try:
        sender.wake()
        await asyncio.wait_for(limits.crowd.wait(), 5)
        async with rig.app.sessionmaker() as session:
            claimed = await session.scalar(
                select(func.count()).where(OutboxRow.status == "sending")
            )
        assert claimed == 20

        limits.gate.set()
        await asyncio.wait_for(sender.wait_idle(), 5)
        assert sorted(c.chat_id for c in rig.sends()) == sorted(people)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


# --- 403 and 400: no retry -------------------------------------------------------------------


async def test_a_blocked_user_is_marked_unreachable_and_not_retried(rig: Rig) -> None:
    rig.emulator.block_user(ANN)
    blocked = await rig.enqueue(ANN, "m1")
    other = await rig.enqueue(BOB, "b1")
    sender = rig.sender()

    await sender.drain_once()

    row = await rig.row(blocked)
    assert row.status == "failed"
    assert "blocked" in (row.error or "")
    assert await rig.unreachable(ANN)
    assert (await rig.row(other)).status == "sent"
    assert rig.labels(BOB) == ["b1"]
    assert not await rig.unreachable(BOB)

    rig.clock.advance(days=1)
    assert await sender.drain_once() == 0
    assert len(rig.sends(ANN)) == 1, "403 is final: no retry"

    rig.emulator.unblock_user(ANN)  # they come back: the next message goes out and clears the flag
    await rig.enqueue(ANN, "m2")
    await sender.drain_once()
    assert rig.labels(ANN) == ["m2"]
    assert not await rig.unreachable(ANN)


async def test_a_bad_request_fails_without_retry(rig: Rig) -> None:
    item = await rig.enqueue(ANN, "m1")
    rig.emulator.inject_error(
        "sendMessage", error_code=400, description="Bad Request: chat not found", chat_id=ANN
    )
    sender = rig.sender()

    await sender.drain_once()
    rig.clock.advance(days=1)
    assert await sender.drain_once() == 0

    row = await rig.row(item)
    assert row.status == "failed"
    assert "chat not found" in (row.error or "")
    assert len(rig.sends()) == 1
    assert not await rig.unreachable(ANN), "400 is not the person's doing"


# --- order within a chat -----------------------------------------------------------------------


async def test_a_postponed_message_holds_back_the_rest_of_its_chat(rig: Rig) -> None:
    items = [await rig.enqueue(ANN, f"m{i}") for i in (1, 2, 3)]
    flood(rig, ANN, 3)
    sender = rig.sender()

    await sender.drain_once()

    assert len(rig.sends(ANN)) == 1, "m2 and m3 are not even tried while m1 waits"
    rows = [await rig.row(i) for i in items]
    assert {r.status for r in rows} == {"pending"}
    assert {r.next_attempt_at for r in rows} == {rig.clock() + timedelta(seconds=3)}

    rig.clock.advance(seconds=3)
    await sender.drain_once()
    assert rig.labels(ANN) == ["m1", "m2", "m3"]


async def test_a_message_queued_after_a_postponed_one_still_comes_second(rig: Rig) -> None:
    await rig.enqueue(ANN, "m1")
    rig.emulator.inject_error("sendMessage", error_code=500, description="Internal Server Error")
    sender = rig.sender()
    await sender.drain_once()  # m1 waits 2 s

    rig.clock.advance(seconds=1)
    await rig.enqueue(ANN, "m2")
    await sender.drain_once()
    rig.clock.advance(seconds=1)
    await sender.drain_once()

    assert rig.labels(ANN) == ["m1", "m2"]


async def test_one_slow_chat_does_not_hold_another(rig: Rig) -> None:
    await rig.enqueue(ANN, "a1")
    await rig.enqueue(BOB, "b1")
    await rig.enqueue(ANN, "a2")
    flood(rig, ANN, 30)

    await rig.sender().drain_once()

    assert rig.labels(ANN) == []
    assert rig.labels(BOB) == ["b1"]


async def test_a_chat_waiting_for_its_pace_does_not_hold_another(rig: Rig) -> None:
    for i in range(4):
        await rig.enqueue(ANN, f"a{i}")
    await rig.enqueue(BOB, "b1")  # queued last
    sender = rig.sender(limits=ChatLimits(overall_rate=1000, chat_rate=5, chat_burst=1))

    await sender.drain_once()

    ann = [c.time for c in rig.sends(ANN)]
    (bob,) = [c.time for c in rig.sends(BOB)]
    assert len(ann) == 4
    assert bob < ann[-1], "Bob's message went out while Ann's chat was still pacing"
    assert bob - ann[0] < 0.4  # Ann's four need at least 0.6 s


# --- the per-chat pace ---------------------------------------------------------------------------


async def test_the_per_chat_limit_paces_a_burst(rig: Rig) -> None:
    for i in range(6):
        await rig.enqueue(ANN, f"m{i}")
    sender = rig.sender(limits=ChatLimits(overall_rate=1000, chat_rate=5, chat_burst=1))

    await sender.drain_once()

    assert rig.labels(ANN) == [f"m{i}" for i in range(6)]
    times = [c.time for c in rig.sends(ANN)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # 5 a second with no burst: one every 0.2 s, so 6 messages span about 1 s.
    assert 0.8 <= times[-1] - times[0] <= 3.0, gaps
    assert min(gaps) >= 0.1, gaps


async def test_the_per_chat_limit_is_per_chat(rig: Rig) -> None:
    for chat in (ANN, BOB, CAT):
        await rig.enqueue(chat, "x")
    sender = rig.sender(limits=ChatLimits(overall_rate=1000, chat_rate=5, chat_burst=1))

    await sender.drain_once()

    times = sorted(c.time for c in rig.sends())
    assert len(times) == 3
    assert times[-1] - times[0] < 0.3, "three chats, one message each: no pacing (0.4 s if paced)"


# --- edits in place ------------------------------------------------------------------------------


async def test_an_edit_changes_the_earlier_message_in_place(rig: Rig) -> None:
    sender = rig.sender()
    first = await rig.enqueue(ANN, "v1", ref="request:1:status", edit=True)
    await sender.drain_once()  # nothing to edit yet: a new message
    message_id = (await rig.row(first)).message_id
    assert message_id is not None

    second = await rig.enqueue(ANN, "v2", ref="request:1:status", edit=True)
    await sender.drain_once()

    assert rig.labels(ANN) == ["v2"]
    message = rig.emulator.get_message(ANN, message_id)
    assert message is not None
    assert (message.edits, message.history[0].text.split()[1]) == (1, "v1")
    assert len(rig.sends()) == 1
    assert len(rig.emulator.calls_to("editMessageText")) == 1
    assert (await rig.row(second)).message_id == message_id

    unchanged = await rig.enqueue(ANN, "v2", ref="request:1:status", edit=True)
    await sender.drain_once()  # "message is not modified" counts as delivered
    assert (await rig.row(unchanged)).status == "sent"
    assert rig.labels(ANN) == ["v2"]
    assert len(rig.sends()) == 1


async def test_an_edit_of_a_deleted_message_sends_a_new_one(rig: Rig) -> None:
    sender = rig.sender()
    await rig.enqueue(ANN, "v1", ref="step:7", edit=True)
    await sender.drain_once()
    old = rig.emulator.transcript(ANN)[-1].message_id
    await rig.app.bot.delete_message(ANN, old)

    replacement = await rig.enqueue(ANN, "v2", ref="step:7", edit=True)
    await sender.drain_once()

    assert rig.labels(ANN) == ["v2"]
    new = (await rig.row(replacement)).message_id
    assert new is not None
    assert new != old
    assert [c.ok for c in rig.emulator.calls_to("editMessageText")] == [False]

    await rig.enqueue(ANN, "v3", ref="step:7", edit=True)
    await sender.drain_once()  # later edits follow the replacement
    assert rig.labels(ANN) == ["v3"]
    message = rig.emulator.get_message(ANN, new)
    assert message is not None
    assert message.edits == 1


async def test_an_edit_refused_as_too_old_sends_a_new_message(rig: Rig) -> None:
    sender = rig.sender()
    await rig.enqueue(ANN, "v1", ref="step:8", edit=True)
    await sender.drain_once()
    rig.emulator.inject_error(
        "editMessageText", error_code=400, description="Bad Request: message can't be edited"
    )

    await rig.enqueue(ANN, "v2", ref="step:8", edit=True)
    await sender.drain_once()

    assert rig.labels(ANN) == ["v1", "v2"]
    assert len(rig.sends()) == 2


async def test_a_ref_is_edited_per_chat(rig: Rig) -> None:
    sender = rig.sender()
    await rig.enqueue(ANN, "a1", ref="step:1", edit=True)
    await sender.drain_once()

    await rig.enqueue(BOB, "b1", ref="step:1", edit=True)  # Bob never had this card
    await sender.drain_once()

    assert rig.labels(ANN) == ["a1"]
    assert rig.labels(BOB) == ["b1"]
    assert rig.emulator.calls_to("editMessageText") == []


async def test_an_edit_queued_behind_its_original_in_one_batch_edits_it(rig: Rig) -> None:
    await rig.enqueue(ANN, "v1", ref="step:3", edit=True)
    await rig.enqueue(ANN, "v2", ref="step:3", edit=True)

    await rig.sender().drain_once()

    assert rig.labels(ANN) == ["v2"]
    assert len(rig.sends()) == 1


# --- what cannot be delivered at all -------------------------------------------------------------


async def test_a_message_that_cannot_be_rendered_fails_alone(rig: Rig) -> None:
    broken = await rig.enqueue_raw(ANN, "member_joined", {"name": "x"})  # no "role"
    await rig.enqueue(ANN, "m2")
    sender = rig.sender()

    for _ in range(MAX_ATTEMPTS + 1):  # however many tries a fix allows, then it must give up
        await sender.drain_once()
        rig.clock.advance(seconds=LEASE.total_seconds() + 1)

    assert rig.labels(ANN) == ["m2"]
    assert (await rig.row(broken)).status == "failed"


# --- Telegram's 4,096 characters (issue 7) ----------------------------------------------------------


async def test_regression_a_card_over_the_limit_goes_out_in_its_short_form(rig: Rig) -> None:
    """Before: a card Telegram refused as too long was dropped; the approver never saw it."""
    view = six_times_returned(fill="😀")  # every text at its longest, each character 2 units
    step = view.open_step()
    assert step is not None
    params = card_params(view, step)
    with rig.app.i18n.context():
        full = rig.app.renderer.render("notifications/approval_card", **params)
    assert utf16_len(full) > 4096
    item = await rig.enqueue_raw(ANN, "approval_card", params, ref="step:1", edit=True)

    await rig.sender().drain_once()

    assert (await rig.row(item)).status == "sent"
    [card] = [m for m in rig.emulator.transcript(ANN) if m.from_bot]
    assert utf16_len(card.text) <= 4096
    assert "… 23 earlier entries (the full history is in /pending)" in card.text, "short form"


async def test_regression_a_message_telegram_refuses_as_too_long_is_sent_shorter(
    rig: Rig,
) -> None:
    """Should Telegram count more than we do, its 400 "message is too long" brings the short
    form, instead of a message lost."""
    item = await rig.enqueue(ANN, "m1")
    rig.emulator.inject_error(
        "sendMessage",
        error_code=400,
        description="Bad Request: message is too long",
        chat_id=ANN,
    )

    await rig.sender().drain_once()

    assert (await rig.row(item)).status == "sent"
    assert len(rig.sends(ANN)) == 2
    assert rig.labels(ANN) == ["m1"]


# --- photos drawn at send time (issue 14) ------------------------------------------------------


async def test_the_collection_chart_goes_out_as_a_photo_drawn_in_the_readers_language(
    rig: Rig,
) -> None:
    """The monthly analysis's chart travels as the text's params and is drawn when sent, by
    the sender build_app wires: after the text, in order, captioned in each reader's language."""
    async with rig.app.sessionmaker() as session:
        await session.execute(
            update(PersonRow).where(PersonRow.telegram_id == CAT).values(language="zh")
        )
        await session.commit()
    params = paid_up_report().params()
    for chat in (ANN, CAT):
        await rig.enqueue_raw(chat, "collection_analysis", params)
        chart = await rig.enqueue_raw(chat, "collection_chart", params)

    assert await rig.app.sender.drain_once() == 4

    for chat, caption in (
        (ANN, "📊 Collections · 2026-04\nDue and collected by rep."),
        (CAT, "📊 回款分析 · 2026-04\n按销售员的应收与已回款。"),
    ):
        text, photo = [m for m in rig.emulator.transcript(chat) if m.from_bot]
        assert (text.kind, photo.kind) == ("text", "photo")
        assert photo.caption == caption
        assert photo.photo is not None
        assert Image.open(BytesIO(photo.photo.data)).size[0] == WIDTH_PX
    row = await rig.row(chart)
    assert (row.status, row.message_id) == ("sent", photo.message_id)
