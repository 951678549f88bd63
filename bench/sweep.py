"""The deadline sweep and the morning digest on a big SQLite database.

The database (built once, rows bulk-inserted with Core executemany): --people people
(1 general manager, 20 sales managers, 1,000 supervisors, the rest reps), 10,000 customers,
--visits visits, --open requests with two steps each (supervisor, then sales manager; every
tenth request is at its second step), so --open open steps, --due of them due for a nudge now
(half before their deadline: a reminder; half past it: an escalation). Delegations: 1,000 long
over, 5 running and already followed, one that started a minute ago (its approver's open steps
move to the delegate) and one that ended a minute ago (they move back).

sweep:  `sweep_deadlines` at a working-day 10:00 after a reset of what the previous round did
        (nudges, moved steps, outbox, audit; then the WAL checkpointed and the disk synced).
idle:   the sweep again at the same moment: nothing due, nothing to move.
digest: `send_digests` over every open step (one message per decider).
Each is run --rounds times after one warm-up round; the table shows the medians of wall and
CPU time (CPU: the process, SQLite's thread included; steadier than wall time on a machine
others share) and the peak resident memory.

Building the database, the sweeps and the digest each run in a child process of their own, so
that the peak resident memory reported (ru_maxrss, which Linux carries over into a child) is
that of the work and the parent's imports, not that of building the database. Merges
sweep_ms_100k and rss_mb_max into bench/results.json (at the default sizes, unless --no-save).
About 1.5 minutes, most of it building the million visits and the digests.

    .venv/bin/python -m bench.sweep [--rounds 5] [--open 100000] [--due 1000]
                                    [--people 10000] [--visits 1000000] [--no-save]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases.reminders import send_digests, sweep_deadlines
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.tables import (
    AuditRow,
    CustomerRow,
    DelegationRow,
    DigestRow,
    OutboxRow,
    PersonRow,
    RequestRow,
    StepRow,
    VisitRow,
)
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Asia/Shanghai
POLICY = Policy()
MANAGERS, SUPERVISORS, CUSTOMERS = 20, 1_000, 10_000
CHUNK = 20_000  # rows per executemany
RESULTS = Path(__file__).with_name("results.json")
GM = 1
SUPERVISOR_IDS = range(2 + MANAGERS, 2 + MANAGERS + SUPERVISORS)
STARTING, ENDING = SUPERVISOR_IDS[0], SUPERVISOR_IDS[1]  # their delegations start / end now
RUNNING = SUPERVISOR_IDS[2:7]  # away all along: their steps already went to the delegate
DELEGATE = SUPERVISOR_IDS[-1]


def chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


async def bulk(engine: AsyncEngine, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    async with engine.begin() as conn:
        for batch in chunks(rows):
            await conn.execute(insert(table.__table__), batch)


def people(count: int) -> Iterator[dict[str, Any]]:
    reps = count - 1 - MANAGERS - SUPERVISORS
    if reps < 1:
        raise SystemExit(f"--people must be more than {1 + MANAGERS + SUPERVISORS}")
    for person_id in range(1, count + 1):
        if person_id == GM:
            role, boss = Role.general_manager, None
        elif person_id < SUPERVISOR_IDS.start:
            role, boss = Role.sales_manager, GM
        elif person_id in SUPERVISOR_IDS:
            role, boss = Role.supervisor, 2 + person_id % MANAGERS
        else:
            role, boss = Role.rep, SUPERVISOR_IDS.start + person_id % SUPERVISORS
        yield {
            "id": person_id,
            "telegram_id": 5_000_000_000 + person_id,
            "full_name": f"Person {person_id}",
            "role": role.value,
            "reports_to": boss,
            "language": "zh",
            "active": True,
            "unreachable": False,
            "joined_at": NOW - timedelta(days=400),
        }


def rep_of(n: int, people_count: int) -> int:
    first = SUPERVISOR_IDS.stop
    return first + n % (people_count - first + 1)


def customers(people_count: int) -> Iterator[dict[str, Any]]:
    for customer_id in range(1, CUSTOMERS + 1):
        yield {
            "id": customer_id,
            "name": f"Customer {customer_id} Trading",
            "name_key": f"customer{customer_id}",
            "owner_id": rep_of(customer_id, people_count),
            "status": "qualified",
            "created_at": NOW - timedelta(days=300),
            "taken_at": NOW - timedelta(days=300),  # a NOT NULL column since the pool
        }


def visits(count: int, people_count: int) -> Iterator[dict[str, Any]]:
    first_day = date(2024, 1, 1)
    for n in range(count):
        customer_id = 1 + n % CUSTOMERS
        yield {
            "customer_id": customer_id,
            "rep_id": rep_of(customer_id, people_count),
            "kind": "visit",
            "visited_on": first_day + timedelta(days=n % 700),
            "logged_at": NOW - timedelta(days=700 - n % 700),
            "outcome": "Talked about the next order; they compare two suppliers.",
            "intent": "medium",
            "far": False,
            "photos": [],
        }


def requests(count: int, people_count: int) -> Iterator[dict[str, Any]]:
    for request_id in range(1, count + 1):
        customer_id = 1 + request_id % CUSTOMERS
        yield {
            "id": request_id,
            "kind": "special_terms",
            "requester_id": rep_of(customer_id, people_count),
            "customer_id": customer_id,
            "product": "Steel pipes DN50",
            "quantity": Decimal("120"),
            "amount": Decimal("86000.00"),
            "discount": Decimal("8.00"),
            "status": "pending",
            "round": 1,
            "created_at": NOW - timedelta(hours=5),
        }


def is_due(request_id: int, count: int, due: int) -> bool:
    return request_id % (count // due) == 0


def acting_of(supervisor: int) -> int | None:
    return DELEGATE if supervisor in RUNNING or supervisor == ENDING else None


def steps(count: int, due: int) -> Iterator[dict[str, Any]]:
    opened = NOW - timedelta(hours=5)
    for request_id in range(1, count + 1):
        supervisor = SUPERVISOR_IDS[request_id % SUPERVISORS]
        manager = 2 + supervisor % MANAGERS
        second = request_id % 10 == 9
        if is_due(request_id, count, due):
            late = request_id // (count // due) % 2 == 0
            due_at = NOW - timedelta(minutes=30) if late else NOW + timedelta(minutes=50)
            nudge = NOW - timedelta(seconds=20)
        else:
            due_at, nudge = NOW + timedelta(hours=8), NOW + timedelta(hours=7)
        base = {
            "request_id": request_id,
            "round": 1,
            "reason": {"kind": "chain", "value": None, "limit": None},
            "reminders_sent": 0,
        }
        yield {
            **base,
            "position": 0,
            "role": Role.supervisor.value,
            "approver_id": supervisor,
            "acting_id": None if second else acting_of(supervisor),
            "status": "approved" if second else "pending",
            "opened_at": opened,
            "due_at": due_at,
            "next_nudge_at": None if second else nudge,
            **(
                {"decided_at": opened + timedelta(hours=1), "decided_by": supervisor}
                if second
                else {}
            ),
        }
        yield {
            **base,
            "decided_at": None,
            "decided_by": None,
            "position": 1,
            "role": Role.sales_manager.value,
            "approver_id": manager,
            "acting_id": None,
            "status": "pending" if second else "waiting",
            "opened_at": opened + timedelta(hours=1) if second else None,
            "due_at": due_at if second else None,
            "next_nudge_at": nudge if second else None,
        }


def delegations() -> Iterator[dict[str, Any]]:
    def window(person: int, starts: datetime, ends: datetime, cancelled: bool = False) -> dict:
        return {
            "person_id": person,
            "delegate_id": DELEGATE,
            "starts_at": starts,
            "ends_at": ends,
            "created_at": starts - timedelta(days=1),
            "cancelled": cancelled,
        }

    for n in range(1_000):
        starts = NOW - timedelta(days=400 - n % 300)
        yield window(SUPERVISOR_IDS[n % 900 + 10], starts, starts + timedelta(days=3), n % 7 == 0)
    for person in RUNNING:
        yield window(person, NOW - timedelta(days=2), NOW + timedelta(days=2))
    yield window(STARTING, NOW - timedelta(minutes=1), NOW + timedelta(days=3))
    yield window(ENDING, NOW - timedelta(days=3), NOW - timedelta(minutes=1))


async def build(path: Path, args: argparse.Namespace) -> None:
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    engine = make_engine(url)
    try:
        await bulk(engine, PersonRow, people(args.people))
        await bulk(engine, CustomerRow, customers(args.people))
        await bulk(engine, VisitRow, visits(args.visits, args.people))
        await bulk(engine, RequestRow, requests(args.open, args.people))
        await bulk(engine, StepRow, steps(args.open, args.due))
        await bulk(engine, DelegationRow, delegations())
        await settle(engine)
    finally:
        await engine.dispose()


async def reset(engine: AsyncEngine, count: int, due: int) -> None:
    """Undo what a sweep or a digest did: due nudges due again, delegated steps back as seeded."""
    table = StepRow.__table__
    pending = table.c.status == "pending"
    due_ids = [i for i in range(1, count + 1) if is_due(i, count, due)]
    async with engine.begin() as conn:
        for first in range(0, len(due_ids), 500):
            await conn.execute(
                update(table)
                .where(pending, table.c.request_id.in_(due_ids[first : first + 500]))
                .values(
                    next_nudge_at=NOW - timedelta(seconds=20), reminders_sent=0, escalated_at=None
                )
            )
        for supervisor in (STARTING, ENDING):
            await conn.execute(
                update(table)
                .where(pending, table.c.approver_id == supervisor)
                .values(acting_id=acting_of(supervisor))
            )
        for row in (OutboxRow, AuditRow, DigestRow):
            await conn.execute(delete(row.__table__))
    await settle(engine)


async def settle(engine: AsyncEngine) -> None:
    """Write the WAL into the database and the page cache to disk: the writes of building or
    resetting are not the sweep's to flush."""
    async with engine.connect() as conn:
        await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    os.sync()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def measure(path: Path, what: str, rounds: int, count: int, due: int) -> dict[str, Any]:
    """Median wall and CPU milliseconds (CPU: this process, the SQLite thread included; it
    varies less than wall time on a machine others share)."""
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_sessionmaker(engine)
    result: dict[str, Any] = {"rss_start_mb": rss_mb()}
    samples: dict[str, list[float]] = {}
    jobs = [("sweep", sweep_deadlines), ("idle", sweep_deadlines)]
    try:
        for n in range(1 + rounds):  # the first round warms the caches and is not counted
            await reset(engine, count, due)
            for name, job in jobs if what == "sweep" else [("digest", send_digests)]:
                wall, cpu = time.perf_counter(), time.process_time()
                async with SqlUnitOfWork(sessions) as uow:
                    sent = await job(uow, policy=POLICY, now=NOW)
                if n:
                    wall_ms = (time.perf_counter() - wall) * 1000
                    samples.setdefault(f"{name}_ms", []).append(wall_ms)
                    cpu_ms = (time.process_time() - cpu) * 1000
                    samples.setdefault(f"{name}_cpu_ms", []).append(cpu_ms)
                result[f"{name}_messages"] = sent
    finally:
        await engine.dispose()
    result.update({key: statistics.median(ms) for key, ms in samples.items()})
    result["rss_max_mb"] = rss_mb()
    return result


def child(path: Path, what: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.sweep", "--measure", what, "--db", str(path)]
    options = ("rounds", "open", "due", "people", "visits")
    command += [f"--{name}={getattr(args, name)}" for name in options]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.splitlines()[-1]) if done.stdout else {})


def save(results: dict[str, Any]) -> None:
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved.update(results)
    RESULTS.write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n")


def report(args: argparse.Namespace, built_s: float, runs: Sequence[dict[str, Any]]) -> None:
    sweep, digest = runs
    print(
        f"{args.open:,} open steps ({args.due:,} due), {args.people:,} people, "
        f"{args.visits:,} visits; built in {built_s:.0f} s; median of {args.rounds}"
    )
    print(f"{'':<8}{'ms':>10}{'CPU ms':>10}{'messages':>10}{'RSS MB':>9}")
    for name, run in (("sweep", sweep), ("idle", sweep), ("digest", digest)):
        row = f"{name:<8}{run[f'{name}_ms']:>10.1f}{run[f'{name}_cpu_ms']:>10.1f}"
        print(row + f"{run[f'{name}_messages']:>10}{run['rss_max_mb']:>9.0f}")
    print(f"RSS of the process before any work: {sweep['rss_start_mb']:.0f} MB")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def main(args: argparse.Namespace) -> None:
    if args.measure == "build":
        asyncio.run(build(Path(args.db), args))
        return
    if args.measure:
        found = asyncio.run(measure(Path(args.db), args.measure, args.rounds, args.open, args.due))
        print(json.dumps(found))
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        path = Path(tmp_name) / "big.db"
        start = time.perf_counter()
        child(path, "build", args)
        built_s = time.perf_counter() - start
        runs = [child(path, what, args) for what in ("sweep", "digest")]
    report(args, built_s, runs)
    if args.save and (args.open, args.due) == (100_000, 1_000):
        save(
            {
                "sweep_ms_100k": round(runs[0]["sweep_ms"], 1),
                "rss_mb_max": round(max(run["rss_max_mb"] for run in runs)),
            }
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--open", type=int, default=100_000, help="open steps (one per request)")
    parser.add_argument("--due", type=int, default=1_000, help="open steps due for a nudge")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--no-save", dest="save", action="store_false", help="keep results.json")
    parser.add_argument("--measure", choices=["build", "sweep", "digest"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    main(parser.parse_args())
