"""The monthly collection analysis on a big SQLite database.

The database (bulk-inserted with Core executemany, the people and customers of bench.sweep):
--people people (1 general manager, 20 sales managers, 1,000 supervisors, the rest reps) plus a
finance VP, 10,000 customers, --contracts contracts in force, each with its deal and deposit,
one line, instalments due 10-15, 11-15 and 12-15, and one to three payments in October and
November.

push:    `send_collection_analysis` on the first working day of December (Tue 12-01), after the
         previous round's claims and messages are deleted: one message per manager with
         contracts in their subtree, and the company's to the GM and the finance VP.
demand:  `collection_report` for the general manager (the whole company, last month).
One warm-up round, then the median of --rounds; wall and CPU time.

    .venv/bin/python -m bench.collections [--rounds 5] [--people 10000] [--contracts 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.sweep import CUSTOMERS, GM, NOW, POLICY, bulk, customers, people, rep_of
from bot.core.roles import Role
from bot.core.usecases.collection_report import collection_report, send_collection_analysis
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.tables import (
    ContractLineRow,
    ContractRow,
    CustomerRow,
    DealRow,
    DepositRow,
    DigestRow,
    InstalmentRow,
    OutboxRow,
    PaymentRow,
    PersonRow,
)
from storage.uow import SqlUnitOfWork

D = Decimal
AMOUNT, DEPOSIT, INSTALMENT = D("100000.00"), D("10000.00"), D("30000.00")
DUES = (date(2026, 10, 15), date(2026, 11, 15), date(2026, 12, 15))


def with_finance(count: int) -> Iterator[dict[str, Any]]:
    yield from people(count)
    yield {
        "id": count + 1,
        "telegram_id": 6_000_000_000,
        "full_name": "Finance VP",
        "role": Role.finance_vp.value,
        "reports_to": GM,
        "language": "zh",
        "active": True,
        "unreachable": False,
        "joined_at": NOW - timedelta(days=400),
    }


def _owner(n: int, people_count: int) -> tuple[int, int]:
    customer = 1 + n % CUSTOMERS
    return customer, rep_of(customer, people_count)


def deals(count: int, people_count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        customer, owner = _owner(n, people_count)
        yield {
            "id": n,
            "customer_id": customer,
            "owner_id": owner,
            "stage": "contracted",
            "opened_at": NOW - timedelta(days=120),
            "stage_at": NOW - timedelta(days=90),
        }


def deposits(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        yield {
            "deal_id": n,
            "amount": DEPOSIT,
            "paid_on": date(2026, 8, 20),
            "method": "cash",
            "receipt_no": f"SJ-{n}",
            "reference": None,
            "recorded_by": GM,
            "recorded_at": NOW - timedelta(days=100),
        }


def contracts(count: int, people_count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        customer, owner = _owner(n, people_count)
        yield {
            "id": n,
            "deal_id": n,
            "customer_id": customer,
            "owner_id": owner,
            "filed_by": owner,
            "status": "in_force",
            "number": f"HT-{n:06d}",
            "deposit": DEPOSIT,
            "delivery_date": date(2026, 10, 1),
            "created_at": NOW - timedelta(days=90),
        }


def lines(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        yield {
            "contract_id": n,
            "position": 0,
            "product": "Steel pipes DN50",
            "quantity": D(100),
            "unit_price": D(1000),
            "discount": None,
        }


def instalments(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        for position, due in enumerate(DUES):
            yield {"contract_id": n, "position": position, "due": due, "amount": INSTALMENT}


def payments(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        for k in range(1 + n % 3):
            yield {
                "contract_id": n,
                "amount": D("20000.00"),
                "paid_on": date(2026, 10, 10) + timedelta(days=20 * k),
                "method": "bank_transfer",
                "reference": None,
                "recorded_by": GM,
                "recorded_at": NOW - timedelta(days=30),
            }


async def build(engine: AsyncEngine, url: str, args: argparse.Namespace) -> None:
    await upgrade(url)
    for table, rows in (
        (PersonRow, with_finance(args.people)),
        (CustomerRow, customers(args.people)),
        (DealRow, deals(args.contracts, args.people)),
        (DepositRow, deposits(args.contracts)),
        (ContractRow, contracts(args.contracts, args.people)),
        (ContractLineRow, lines(args.contracts)),
        (InstalmentRow, instalments(args.contracts)),
        (PaymentRow, payments(args.contracts)),
    ):
        await bulk(engine, table, rows)


async def timed(job: Callable[[], Awaitable[Any]], rounds: int) -> tuple[float, float, Any]:
    walls, cpus, result = [], [], None
    for _ in range(rounds + 1):  # the first is the warm-up
        wall, cpu = time.perf_counter(), time.process_time()
        result = await job()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls[1:]), statistics.median(cpus[1:]), result


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'collections.db'}"
        engine = make_engine(url)
        await build(engine, url, args)
        sessions = make_sessionmaker(engine)

        async def push() -> int:
            async with engine.begin() as conn:
                await conn.execute(delete(DigestRow))
                await conn.execute(delete(OutboxRow))
            async with SqlUnitOfWork(sessions) as uow:
                return await send_collection_analysis(uow, policy=POLICY, now=NOW)

        async def demand() -> int:
            async with SqlUnitOfWork(sessions) as uow:
                report = await collection_report(uow, GM, this_month=False, policy=POLICY, now=NOW)
            return len(report.analysis.reps.top)

        for name, job in (("push", push), ("demand", demand)):
            wall, cpu, result = await timed(job, args.rounds)
            print(f"{name:7} wall {wall * 1000:8.0f} ms   cpu {cpu * 1000:8.0f} ms   ({result})")
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--contracts", type=int, default=20_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
