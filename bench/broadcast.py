"""A broadcast to --people people through the Bot API emulator with a bot-wide rate enforced.

The real OutboxSender and SqlOutboxQueue on SQLite (WAL, the real migrations) deliver one queued
notification to each person. The emulator runs in a process of its own, as Telegram is another
machine, and answers 429 with `parameters.retry_after` (1 s) when --allowed requests arrived
within the last second, as Telegram does. The sender's overall limit (`ChatLimits.overall_rate`)
is --pace messages/second, by default 97 % of the allowed rate: requests reach the emulator a
few milliseconds apart from when the limiter let them go, and a window kept exactly full is
overrun by that jitter. Both processes freeze their start-up heap as `salesbot run` does. Per run:

rate:    messages delivered ÷ seconds from the sender's wake-up to the last delivery, as a
         fraction of the allowed rate (target ≥ 0.95);
429s:    refusals the emulator answered;
lost:    people without their message, plus messages delivered twice (target 0); `left`:
         rows still pending or sending in the database at the end (0);
inside:  requests the sender started after it had received a 429 and before that 429's
         retry_after had passed (seen in the bot's session, target 0). `in flight` counts
         requests that reached the emulator inside a flood wait but had left before the 429
         reached the sender.

With the default --people, --allowed and --pace, the median of --runs runs goes to
bench/results.json (broadcast_rate_fraction, and the worst run's broadcast_lost), next to what
other benchmarks wrote there.

    .venv/bin/python -m bench.broadcast [--runs 3] [--people 3000] [--allowed 100] [--pace 97]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from sqlalchemy import func, select

from bot.core.models import Notification
from bot.core.roles import Role
from bot.main import App, freeze_startup_heap
from bot.notifications.limiter import ChatLimits
from bot.sandbox.app import SANDBOX_TOKEN, sandbox_app
from botapi_emulator.emulator import BotApiEmulator
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

RESULTS = Path(__file__).with_name("results.json")
FIRST_ID = 7_000_000_000
RETRY_AFTER = 1  # seconds, what the emulator's flood wait asks for
PEOPLE, ALLOWED, PACE = 3000, 100, 0.97  # 30 s a run; the pace is a share of the allowed rate


class RequestLog(BaseRequestMiddleware):
    """When the bot started each request, when it heard each 429 (time.monotonic()), and
    whether every message of the broadcast has gone out."""

    def __init__(self, expected: int) -> None:
        self.starts: list[float] = []
        self.refusals: list[tuple[float, int]] = []  # (heard at, retry_after)
        self.sent = 0
        self.last_sent_at = 0.0
        self.expected = expected
        self.all_sent = asyncio.Event()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        self.starts.append(time.monotonic())
        try:
            response = await make_request(bot, method)
        except TelegramRetryAfter as exc:
            self.refusals.append((time.monotonic(), exc.retry_after))
            raise
        self.sent += 1
        self.last_sent_at = time.monotonic()
        if self.sent >= self.expected:
            self.all_sent.set()
        return response

    def inside_a_wait(self) -> int:
        return sum(
            1
            for start in self.starts
            if any(heard < start < heard + seconds for heard, seconds in self.refusals)
        )


@dataclass
class Run:
    fraction: float
    seconds: float
    refusals: int
    lost: int
    twice: int
    inside: int
    in_flight: int
    unsettled: int


async def make_template(path: Path, people: int) -> None:
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    engine = make_engine(url)
    try:
        async with SqlUnitOfWork(make_sessionmaker(engine)) as uow:
            for i in range(people):
                await uow.people.add(
                    telegram_id=FIRST_ID + i,
                    full_name=f"Person {i}",
                    role=Role.rep,
                    reports_to=None,
                    language="en",
                    joined_at=datetime.now(UTC),
                )
            await uow.commit()
    finally:
        await engine.dispose()


async def queue_broadcast(app: App, people: int) -> None:
    """One notification per person, committed together as a broadcast use case would."""
    async with SqlUnitOfWork(app.sessionmaker) as uow:
        for person_id in range(1, people + 1):
            notification = Notification(
                person_id, "member_joined", {"name": "Li Na", "role": "rep"}
            )
            await uow.outbox.add(notification, datetime.now(UTC))
        await uow.commit()


async def unsettled(app: App) -> int:
    async with app.sessionmaker() as session:
        status = OutboxRow.status.in_(["pending", "sending"])
        return int(await session.scalar(select(func.count()).where(status)) or 0)


async def serve_emulator(people: int, allowed: int) -> None:
    """The child process: the emulator with the rate limit on, its URL on the first line of
    stdout; when stdin has a line, what it saw, as one JSON line."""
    async with BotApiEmulator(SANDBOX_TOKEN) as emulator:
        for i in range(people):
            emulator.add_user(FIRST_ID + i, f"Person {i}").started = True
        emulator.limit_rate(allowed, retry_after=RETRY_AFTER)
        freeze_startup_heap()  # Telegram does not stall for our garbage collector either
        print(emulator.base_url, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        received = [len(emulator.transcript(FIRST_ID + i)) for i in range(people)]
        report = {
            "refusals": sum(1 for call in emulator.calls if call.error_code == 429),
            "lost": received.count(0),
            "twice": sum(1 for n in received if n > 1),
            "in_flight": sum(len(wait.violations) for wait in emulator.flood_waits),
        }
        print(json.dumps(report), flush=True)


async def one_run(template: Path, db: Path, people: int, allowed: int, pace: float) -> Run:
    shutil.copyfile(template, db)
    child = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bench.broadcast", "--emulator"),
        *("--people", str(people), "--allowed", str(allowed)),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    url = (await child.stdout.readline()).decode().strip()
    app = sandbox_app(url, str(db), limits=ChatLimits(overall_rate=pace))
    requests = RequestLog(expected=people)
    app.bot.session.middleware(requests)
    try:
        await queue_broadcast(app, people)
        freeze_startup_heap()  # as `salesbot run` does
        sender = asyncio.create_task(app.sender.run())
        start = time.monotonic()
        app.sender.wake()
        with contextlib.suppress(TimeoutError):  # then some are lost: counted below
            await asyncio.wait_for(requests.all_sent.wait(), 10 * people / allowed)
        await asyncio.wait_for(app.sender.wait_idle(), 30)
        left = await unsettled(app)
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
    finally:
        await app.bot.session.close()
        await app.engine.dispose()
    child.stdin.write(b"report\n")
    await child.stdin.drain()
    report = json.loads(await child.stdout.readline())
    await child.wait()
    seconds = requests.last_sent_at - start
    return Run(
        fraction=requests.sent / seconds / allowed,
        seconds=seconds,
        inside=requests.inside_a_wait(),
        unsettled=left,
        **report,
    )


def write_results(values: dict[str, float | int]) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update(values)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


async def main(runs: int, people: int, allowed: int, pace: float) -> None:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("aiogram").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "template.db"
        await make_template(template, people)
        results = [
            await one_run(template, tmp / f"{n}.db", people, allowed, pace) for n in range(runs)
        ]

    print(f"{runs} runs, {people} people, emulator allows {allowed}/s, sender paced at {pace}/s")
    print(
        f"{'run':<5}{'rate':>7}{'seconds':>9}{'429s':>6}{'lost':>6}{'twice':>7}{'inside':>8}{'in flight':>11}{'left':>6}"
    )
    for n, r in enumerate(results, 1):
        print(
            f"{n:<5}{r.fraction:>7.3f}{r.seconds:>9.1f}{r.refusals:>6}{r.lost:>6}{r.twice:>7}"
            f"{r.inside:>8}{r.in_flight:>11}{r.unsettled:>6}"
        )
    fraction = statistics.median(r.fraction for r in results)
    lost = max(r.lost + r.twice for r in results)
    print(f"median rate fraction {fraction:.3f}; worst run lost or doubled {lost}")
    if (people, allowed, pace) == (PEOPLE, ALLOWED, PACE * ALLOWED):
        write_results({"broadcast_rate_fraction": round(fraction, 3), "broadcast_lost": lost})
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--allowed", type=int, default=ALLOWED, help="emulator: requests/second")
    parser.add_argument("--pace", type=float, help="sender's overall limit (default: 97 %%)")
    parser.add_argument("--emulator", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.emulator:
        asyncio.run(serve_emulator(args.people, args.allowed))
    else:
        pace = args.pace or PACE * args.allowed
        asyncio.run(main(args.runs, args.people, args.allowed, pace))
