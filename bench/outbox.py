"""The outbox on SQLite: rows in and out through the storage layer, against plain SQLAlchemy Core.

outbox: --rows notifications enqueued one unit of work each (as use cases commit them), then
        drained the way the sender does: claim_due(limit=50) and mark_sent per item.
floor:  the same rows INSERTed one transaction each, then SELECTed back 50 per query, by id.

Each round uses a fresh database per candidate; the candidates alternate (A B A B ...) and the
table shows the median rows/second of each phase. Telegram allows about 30 messages/second.

    .venv/bin/python -m bench.outbox [--rounds 3] [--rows 500] [--people 50]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.models import Notification
from bot.core.roles import Role
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.outbox_queue import SqlOutboxQueue
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
LEASE = NOW + timedelta(minutes=2)  # the sender's lease
BATCH = 50  # the sender's default claim size
TELEGRAM_BUDGET = 30  # messages/second, bot-wide
Sessions = async_sessionmaker[AsyncSession]


def notifications(rows: int, people: list[int]) -> list[Notification]:
    return [
        Notification(people[i % len(people)], "approval_card", {"request_id": i, "amount": 1200})
        for i in range(rows)
    ]


async def add_people(sessions: Sessions, count: int) -> list[int]:
    async with SqlUnitOfWork(sessions) as uow:
        people = [
            await uow.people.add(
                telegram_id=7_000_000_000 + i,
                full_name=f"Person {i}",
                role=Role.rep,
                reports_to=None,
                language="zh",
                joined_at=NOW,
            )
            for i in range(count)
        ]
        await uow.commit()
    return [person.id for person in people]


async def outbox(sessions: Sessions, _engine: AsyncEngine, items: list[Notification]) -> int:
    for item in items:
        async with SqlUnitOfWork(sessions) as uow:
            await uow.outbox.add(item, NOW)
            await uow.commit()
    return 0


async def outbox_drain(sessions: Sessions, _engine: AsyncEngine) -> int:
    queue, done = SqlOutboxQueue(sessions), 0
    while claimed := await queue.claim_due(NOW, BATCH, LEASE):
        for item in claimed:
            await queue.mark_sent({item.id: 1000 + item.id}, NOW)
        done += len(claimed)
    return done


async def floor(_sessions: Sessions, engine: AsyncEngine, items: list[Notification]) -> int:
    for item in items:
        async with engine.begin() as conn:
            await conn.execute(
                insert(OutboxRow.__table__),
                {
                    "recipient_id": item.recipient_id,
                    "template": item.template,
                    "params": item.params,
                    "ref": None,
                    "edit": False,
                    "edit_only": False,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": NOW,
                    "next_attempt_at": NOW,
                },
            )
    return 0


async def floor_drain(_sessions: Sessions, engine: AsyncEngine) -> int:
    table, last, done = OutboxRow.__table__, 0, 0
    while True:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(table).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
                )
            ).all()
        if not rows:
            return done
        last, done = rows[-1].id, done + len(rows)


CANDIDATES = {"outbox": (outbox, outbox_drain), "floor (Core)": (floor, floor_drain)}


async def one_round(template: Path, path: Path, name: str, rows: int, people: int) -> list[float]:
    shutil.copyfile(template, path)
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_sessionmaker(engine)
    try:
        items = notifications(rows, await add_people(sessions, people))
        fill, drain = CANDIDATES[name]
        start = time.perf_counter()
        await fill(sessions, engine, items)
        filled = time.perf_counter()
        if (done := await drain(sessions, engine)) != rows:
            raise RuntimeError(f"{name}: drained {done} of {rows} rows")
        return [rows / (filled - start), rows / (time.perf_counter() - filled)]
    finally:
        await engine.dispose()


async def main(rounds: int, rows: int, people: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "template.db"
        await upgrade(f"sqlite+aiosqlite:///{template}")
        await one_round(template, tmp / "warm-up.db", "outbox", 50, people)
        rates: dict[str, list[list[float]]] = {name: [] for name in CANDIDATES}
        for n in range(rounds):
            for i, name in enumerate(CANDIDATES):
                path = tmp / f"{n}-{i}.db"
                rates[name].append(await one_round(template, path, name, rows, people))

    print(f"{rounds} rounds x {rows} rows to {people} people, interleaved; median rows/s")
    print(f"{'':<14}{'in':>10}{'out':>10}{'out ÷ 30/s':>12}")
    medians = {
        name: [statistics.median(phase) for phase in zip(*samples, strict=True)]
        for name, samples in rates.items()
    }
    for name, (rate_in, rate_out) in medians.items():
        print(f"{name:<14}{rate_in:>10.0f}{rate_out:>10.0f}{rate_out / TELEGRAM_BUDGET:>11.0f}×")
    (q_in, q_out), (f_in, f_out) = medians.values()
    print(f"{'floor/outbox':<14}{f_in / q_in:>9.1f}×{f_out / q_out:>9.1f}×")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--people", type=int, default=50, help="recipients the rows go to")
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.rows, args.people))
