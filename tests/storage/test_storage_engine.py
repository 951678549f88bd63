from __future__ import annotations

from pathlib import Path

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
