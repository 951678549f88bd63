"""/report on a big SQLite database: the month by rep and the region analysis.

The database (the real migrations, then rows generated inside SQLite with INSERT … SELECT over
recursive CTEs; built once and cached under /tmp, keyed by BUILD_VERSION and the sizes):
200 people (a general manager, 4 sales managers, 20 supervisors, 175 reps), 100,000 customers
over 7 regions and 5 channels (an eighth without either), 1,000,000 visits over two years,
50,000 deals with their deposits, 50,000 contracts (two lines, three instalments, up to two
payments and one booked delivery note each), 100 weeks of plans with 5 planned visits per rep,
a target per rep and month, and a commission sheet per rep and month.

month:   `report` for the general manager: October 2026, the company, by rep, every measure.
region:  the same month and scope by region.
One warm-up round, then the median of --rounds; EXPLAIN QUERY PLAN of every statement is
printed with --plans. Writes report_ms_1m (the slower median, ms) into bench/results.json.

    .venv/bin/python -m bench.report [--rounds 5] [--plans] [--rebuild] [--no-save]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.sweep import save
from bot.core.policy import Policy
from bot.core.reports import Dimension, Period, PeriodKind, Report, ReportScope
from bot.core.usecases.report import report
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

BUILD_VERSION = 2  # bump when the generated data changes
NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Asia/Shanghai
POLICY = Policy()
OCTOBER = Period(PeriodKind.last_month, date(2026, 10, 1), date(2026, 10, 31))
GM = 1
SIZES = {"people": 200, "customers": 100_000, "visits": 1_000_000, "contracts": 50_000}

# Every statement reads its sizes from the `sizes` table, so the SQL stays literal.
PEOPLE = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :people)
INSERT INTO people (id, telegram_id, full_name, role, reports_to, language, active, unreachable)
SELECT i, 7000000000 + i, 'Person ' || i,
       CASE WHEN i = 1 THEN 'general_manager' WHEN i <= 5 THEN 'sales_manager'
            WHEN i <= 25 THEN 'supervisor' ELSE 'rep' END,
       CASE WHEN i = 1 THEN NULL WHEN i <= 5 THEN 1 WHEN i <= 25 THEN 2 + i % 4
            ELSE 6 + i % 20 END,
       'zh', 1, 0
FROM n
"""
# a customer's owner: one of the reps 26..people
OWNER = "(26 + ({c}) % (:people - 25))"
CUSTOMERS = f"""
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :customers)
INSERT INTO customers (id, name, name_key, owner_id, status, created_at, taken_at, region,
                       source, confirmed_at)
SELECT i, 'Customer ' || i, 'customer ' || i, {OWNER.format(c="i")}, 'qualified',
       datetime('2025-01-01', '+' || (i % 700) || ' days') || '.000000',
       datetime('2025-01-01', '+' || (i % 700) || ' days') || '.000000',
       CASE i % 8 WHEN 0 THEN NULL ELSE
         substr('东北华北华东华中西北华南西南', 2 * (i % 8) - 1, 2) END,
       CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN 'expo' WHEN 2 THEN 'web' WHEN 3 THEN 'referral'
            WHEN 4 THEN 'phone' ELSE 'walk-in' END,
       CASE WHEN i % 2 = 0 THEN datetime('2025-01-01', '+' || (i % 700 + 5) || ' days')
            || '.000000' END
FROM n
"""
VISITS = f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :visits - 1)
INSERT INTO visits (customer_id, rep_id, kind, visited_on, logged_at, outcome, intent, far,
                    photos)
SELECT 1 + (i * 7) % :customers, {OWNER.format(c="1 + (i * 7) % :customers")},
       CASE i % 4 WHEN 0 THEN 'first' WHEN 1 THEN 'revisit' WHEN 2 THEN 'reception'
            ELSE 'call' END,
       date('2025-01-01', '+' || (i % 700) || ' days'),
       datetime('2025-01-01', '+' || (i % 700) || ' days') || '.000000',
       'Talked about the next order.',
       CASE i % 4 WHEN 0 THEN 'none' WHEN 1 THEN 'low' WHEN 2 THEN 'medium' ELSE 'high' END,
       0, '[]'
FROM n
"""
# contract k: customer 1 + 2k, opened on day k % 680 from 2025-01-01, co-signed 10 days later
DAY = "date('2025-01-01', '+' || ({k} % 680 + {plus}) || ' days')"
STAMP = "datetime('2025-01-01', '+' || ({k} % 680 + {plus}) || ' days') || '.000000'"
CUSTOMER = "(1 + (2 * {k}) % :customers)"
DEALS = f"""
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < :contracts)
INSERT INTO deals (id, customer_id, owner_id, stage, opened_at, stage_at)
SELECT k, {CUSTOMER.format(k="k")}, {OWNER.format(c=CUSTOMER.format(k="k"))},
       CASE WHEN k % 10 = 0 THEN 'lost' ELSE 'contracted' END,
       {STAMP.format(k="k", plus=0)}, {STAMP.format(k="k", plus=0)}
FROM n
"""
DEPOSITS = f"""
INSERT INTO deposits (deal_id, amount, paid_on, method, receipt_no, recorded_by, recorded_at)
SELECT id, '10000.00', {DAY.format(k="id", plus=3)}, 'cash', 'SJ-' || id, 1,
       {STAMP.format(k="id", plus=3)}
FROM deals
"""
CONTRACTS = f"""
INSERT INTO contracts (id, deal_id, customer_id, owner_id, filed_by, status, number, deposit,
                       delivery_date, created_at, cosigned_at, closed_at)
SELECT id, id, customer_id, owner_id, owner_id,
       CASE WHEN id % 5 = 0 THEN 'closed' ELSE 'in_force' END, 'HT-' || id, '10000.00',
       {DAY.format(k="id", plus=40)}, {STAMP.format(k="id", plus=8)},
       {STAMP.format(k="id", plus=10)},
       CASE WHEN id % 5 = 0 THEN {STAMP.format(k="id", plus=130)} END
FROM deals
"""
# 10 × 5,000.00 and 5 × 2,000.00 at 10 %: 59,000.00 = 10,000 + 20,000 + 20,000 + 9,000
LINES = """
INSERT INTO contract_lines (contract_id, position, product, quantity, unit_price, discount)
SELECT id, 0, 'Product ' || (id % 30), '10', '5000.00', NULL FROM contracts
UNION ALL
SELECT id, 1, 'Product ' || ((id + 7) % 30), '5', '2000.00', '10' FROM contracts
"""
INSTALMENTS = f"""
INSERT INTO instalments (contract_id, position, due, amount)
SELECT id, 0, {DAY.format(k="id", plus=40)}, '20000.00' FROM contracts
UNION ALL SELECT id, 1, {DAY.format(k="id", plus=70)}, '20000.00' FROM contracts
UNION ALL SELECT id, 2, {DAY.format(k="id", plus=100)}, '9000.00' FROM contracts
"""
PAYMENTS = f"""
INSERT INTO payments (contract_id, amount, paid_on, method, recorded_by, recorded_at)
SELECT id, '20000.00', {DAY.format(k="id", plus=45)}, 'bank_transfer', 1,
       {STAMP.format(k="id", plus=45)} FROM contracts
UNION ALL
SELECT id, '15000.00', {DAY.format(k="id", plus=80)}, 'bank_transfer', 1,
       {STAMP.format(k="id", plus=80)} FROM contracts WHERE id % 3 <> 0
"""
DELIVERIES = f"""
INSERT INTO delivery_notes (id, contract_id, seq, status, filed_by, filed_at, booked_at)
SELECT id, id, 1, 'booked', 1, {STAMP.format(k="id", plus=25)}, {STAMP.format(k="id", plus=30)}
FROM contracts
"""
DELIVERY_LINES = """
INSERT INTO delivery_lines (note_id, position, quantity)
SELECT id, 0, '10' FROM delivery_notes UNION ALL SELECT id, 1, '4' FROM delivery_notes
"""
# 100 weeks of plans from Monday 2024-12-30, five planned visits per rep and week
PLANS = """
WITH RECURSIVE w(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM w WHERE k < 99)
INSERT INTO weekly_plans (rep_id, week, status)
SELECT p.id, date('2024-12-30', '+' || (7 * w.k) || ' days'), 'approved'
FROM people p, w WHERE p.role = 'rep'
"""
PLAN_ITEMS = """
WITH RECURSIVE d(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM d WHERE j < 4)
INSERT INTO plan_items (plan_id, customer_id, day, purpose)
SELECT p.id, (p.rep_id - 26) + (:people - 25) * (1 + (7 * d.j + p.id) % 500),
       date(p.week, '+' || d.j || ' days'), 'visit'
FROM weekly_plans p, d
"""
MONTHS = "WITH RECURSIVE m(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM m WHERE k < 23)"
TARGETS = f"""
{MONTHS}
INSERT INTO monthly_targets (rep_id, month, sales, quantity, collection, set_by, set_at)
SELECT p.id, date('2025-01-01', '+' || m.k || ' months'), '300000.00', '50', '250000.00', 1,
       '2025-01-01 00:00:00.000000'
FROM people p, m WHERE p.role = 'rep'
"""
SHEETS = f"""
{MONTHS}
INSERT INTO commission_sheets (rep_id, month, status, step, commission, deduction, payable,
                               unrecovered, excluded, checks, filed_by, filed_at)
SELECT p.id, date('2025-01-01', '+' || m.k || ' months'), 'paid', 3, '0', '0', '0', '0', '[]',
       '[]', 1, '2025-01-01 00:00:00.000000'
FROM people p, m WHERE p.role = 'rep'
"""
COMMISSION_LINES = """
INSERT INTO commission_lines (sheet_id, contract_id, payment_ids, collected, rate, commission,
                              deduction)
SELECT s.id, c.id, '[]', '20000.00', '0.0200', '400.00', '0.00'
FROM contracts c JOIN commission_sheets s
  ON s.rep_id = c.owner_id AND s.month = date(c.cosigned_at, 'start of month')
"""
STEPS = (
    PEOPLE,
    CUSTOMERS,
    VISITS,
    DEALS,
    DEPOSITS,
    CONTRACTS,
    LINES,
    INSTALMENTS,
    PAYMENTS,
    DELIVERIES,
    DELIVERY_LINES,
    PLANS,
    PLAN_ITEMS,
    TARGETS,
    SHEETS,
    COMMISSION_LINES,
)


def database(sizes: dict[str, int]) -> Path:
    key = "-".join(f"{v}" for v in sizes.values())
    return Path(f"/tmp/salesbot-bench-report-v{BUILD_VERSION}-{key}.db")


async def build(path: Path, sizes: dict[str, int]) -> float:
    started = time.perf_counter()
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    await upgrade(f"sqlite+aiosqlite:///{building}")
    conn = sqlite3.connect(building)
    try:
        for statement in STEPS:
            conn.execute(statement, sizes)
        conn.commit()
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    building.rename(path)
    return time.perf_counter() - started


async def timed(job: Callable[[], Awaitable[Report]], rounds: int) -> tuple[float, Report]:
    walls: list[float] = []
    found: Report | None = None
    for _ in range(rounds + 1):  # the first is the warm-up
        start = time.perf_counter()
        found = await job()
        walls.append(time.perf_counter() - start)
    assert found is not None
    return statistics.median(walls[1:] or walls) * 1000, found


@contextmanager
def recorded(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        seen.append((sql, params))

    event.listen(engine.sync_engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", keep)


def plans(path: Path, statements: list[tuple[str, Any]]) -> None:
    """Each family's statement: its time alone and SQLite's plan for it."""
    conn = sqlite3.connect(path)
    try:
        for sql, params in statements:
            if "FROM people" in sql:
                continue
            start = time.perf_counter()
            conn.execute(sql, params).fetchall()
            ms = (time.perf_counter() - start) * 1000
            print(f"\n{ms:7.0f} ms  " + " ".join(sql.split())[:100] + " …")
            for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params):
                print("   ", row[3])
    finally:
        conn.close()


async def measure(path: Path, args: argparse.Namespace) -> dict[str, float]:
    engine: AsyncEngine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_sessionmaker(engine)
    results: dict[str, float] = {}
    for name, dimension in (("month", Dimension.rep), ("region", Dimension.region)):

        async def job(dimension: Dimension = dimension) -> Report:
            async with SqlUnitOfWork(sessions) as uow:
                return await report(
                    uow, GM, OCTOBER, ReportScope.company, dimension, policy=POLICY, now=NOW
                )

        ms, found = await timed(job, args.rounds)
        results[name] = ms
        t = found.total
        print(
            f"{name:7} {ms:8.0f} ms   {len(found.lines)} lines; visits {t.visits}, contracts "
            f"{t.contract_amount}, collected {t.collected}, due {t.due}, overdue {t.overdue}, "
            f"rate {t.collection_rate} %, plans {t.plan_completion} %"
        )
        if args.plans:
            with recorded(engine) as seen:
                await job()
            plans(path, seen)
    await engine.dispose()
    return results


async def run(args: argparse.Namespace) -> None:
    path = database(SIZES)
    if args.rebuild:
        path.unlink(missing_ok=True)
    if not path.exists():
        print(f"building {path} …")
        print(f"built in {await build(path, SIZES):.0f} s")
    results = await measure(path, args)
    if args.save:
        save({"report_ms_1m": round(max(results.values()), 1)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN QUERY PLAN")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    parser.add_argument("--no-save", dest="save", action="store_false", help="keep results.json")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
