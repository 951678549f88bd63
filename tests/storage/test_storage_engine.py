from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.engine import make_engine

EXPECTED = {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": 5000}


async def test_every_sqlite_connection_gets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    try:
        # two connections open at once: the pool cannot hand out the same one twice
        async with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                found = {
                    name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                    for name in EXPECTED
                }
                assert found == EXPECTED
    finally:
        await engine.dispose()


async def _settle() -> None:
    """Let started tasks run up to where they wait (no timers involved)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def test_regression_sqlite_writers_of_one_process_take_turns_in_arrival_order(
    tmp_path: Path,
) -> None:
    """Before: writers met in SQLite's busy handler, which sleeps and retries with growing waits,
    so under a burst the bot sat idle while updates queued, and a writer that kept losing the race
    (the outbox sender's mark_sent) failed after 5 s with "database is locked". After: the
    process's writers queue on the engine's write gate and write in the order they came."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (who TEXT)")
        async with engine.connect() as first, engine.connect() as b, engine.connect() as c:
            await first.exec_driver_sql("INSERT INTO t VALUES ('first')")

            async def write(conn: AsyncConnection, who: str) -> None:
                await conn.exec_driver_sql(f"INSERT INTO t VALUES ('{who}')")
                await conn.commit()

            second = asyncio.create_task(write(b, "second"))
            await _settle()
            third = asyncio.create_task(write(c, "third"))
            await _settle()
            assert not second.done(), "waits for the first writer"
            assert not third.done(), "waits for the first writer"
            await first.commit()
            await asyncio.gather(second, third)
        async with engine.connect() as conn:
            rows = (await conn.exec_driver_sql("SELECT who FROM t ORDER BY rowid")).scalars()
            assert list(rows) == ["first", "second", "third"]
    finally:
        await engine.dispose()


async def test_a_rolled_back_or_abandoned_write_lets_the_next_writer_in(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (who TEXT)")
        async with engine.connect() as conn:
            await conn.exec_driver_sql("INSERT INTO t VALUES ('rolled back')")
            await conn.rollback()
        async with engine.connect() as conn:  # closed with its write still open
            await conn.exec_driver_sql("INSERT INTO t VALUES ('abandoned')")
        async with engine.begin() as conn:  # would wait 5 s and fail if the gate were kept
            await conn.exec_driver_sql("INSERT INTO t VALUES ('kept')")
        async with engine.connect() as conn:
            rows = (await conn.exec_driver_sql("SELECT who FROM t")).scalars()
            assert list(rows) == ["kept"]
    finally:
        await engine.dispose()
