"""The contract ledger exported on a big SQLite database: the database of bench.collections
(--contracts contracts in force with deposits, instalments and payments), exported by the
general manager, who sees every contract.

read:   `exports.ledger_export`: keyset batches of 1,000 with the ledger's figures.
tables: `ledger_tables` in Chinese (labels, currency headers, local times).
xlsx:   `xlsx_bytes` (openpyxl write-only); csv: `csv_bytes`.
One warm-up round, then the median of --rounds; wall and CPU time, and the file sizes.

    .venv/bin/python -m bench.exports [--rounds 3] [--people 2000] [--contracts 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.collections import build, timed
from bench.sweep import GM, NOW, POLICY
from bot.core.calendar import local
from bot.core.usecases import exports
from bot.documents.exports import ledger_tables
from bot.documents.sheets import Table, csv_bytes, xlsx_bytes
from bot.i18n import make_i18n
from storage.engine import make_engine, make_sessionmaker
from storage.uow import SqlUnitOfWork


async def run(args: argparse.Namespace) -> None:
    today = local(NOW, POLICY).date()
    i18n = make_i18n("zh")
    with tempfile.TemporaryDirectory() as folder, i18n.context(), i18n.use_locale("zh"):
        url = f"sqlite+aiosqlite:///{Path(folder) / 'exports.db'}"
        engine = make_engine(url)
        await build(engine, url, args)
        sessions = make_sessionmaker(engine)

        async def read() -> exports.Export[exports.ledger.LedgerRow]:
            async with SqlUnitOfWork(sessions) as uow:
                return await exports.ledger_export(uow, GM, today)

        wall, cpu, found = await timed(read, args.rounds)
        print(
            f"read    wall {wall * 1000:8.0f} ms   cpu {cpu * 1000:8.0f} ms   ({len(found.rows)})"
        )

        async def tables() -> list[Table]:
            return ledger_tables(found, POLICY, today)

        wall, cpu, made = await timed(tables, args.rounds)
        print(f"tables  wall {wall * 1000:8.0f} ms   cpu {cpu * 1000:8.0f} ms")
        writers: dict[str, Callable[[], bytes]] = {
            "xlsx": lambda: xlsx_bytes(made),
            "csv": lambda: csv_bytes(made[0]),
        }
        for name, write in writers.items():
            wall, cpu, data = await timed(partial(asyncio.to_thread, write), args.rounds)
            size = len(data) / 1_000_000
            print(
                f"{name:7} wall {wall * 1000:8.0f} ms   cpu {cpu * 1000:8.0f} ms   ({size:.1f} MB)"
            )
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--contracts", type=int, default=50_000)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
