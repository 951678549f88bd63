"""Per-update cost of the SQL FSM storage (SQLite, WAL) against aiogram's MemoryStorage and,
when a server answers at 127.0.0.1:6379, RedisStorage.

An update is get_state + get_data + set_state + set_data on one aiogram-dialog context key,
carrying ~1.2 KB of nested JSON. Candidates run interleaved (A B C A B C ...) for --rounds
rounds of --updates updates each; the table shows the median time per update.

    .venv/bin/python -m bench.fsm_store [--rounds 11] [--updates 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from typing import Any

from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage
from redis.exceptions import RedisError

from bot.fsm import SqlStorage
from storage.engine import make_engine, make_sessionmaker
from storage.fsm import SqlFsmStore
from storage.migrate import upgrade

REDIS_URL = "redis://127.0.0.1:6379/0"
SQL = "SqlStorage (SQLite WAL)"
KEY = StorageKey(
    bot_id=123456789,
    chat_id=7_000_000_001,
    user_id=7_000_000_001,
    destiny="aiogd:context:Ab3dE9xY1z",
)


def dialog_data(n: int) -> dict[str, Any]:
    """Shaped like an aiogram-dialog context: intent, start data, dialog and widget data."""
    return {
        "intent_id": "Ab3dE9xY1z",
        "stack_id": "",
        "state": "VisitSG:notes",
        "start_data": {"customer_id": 4211, "mode": "edit"},
        "dialog_data": {
            "customer": {
                "id": 4211,
                "name": "上海明远贸易有限公司",
                "contact": {"name": "王小明", "phone": "+86 138 0013 8000", "title": "采购经理"},
                "address": "上海市浦东新区世纪大道 100 号 25 楼",
                "tags": ["wholesale", "east", "priority"],
            },
            "visit": {
                "date": "2026-11-27",
                "kind": "in_person",
                "notes": "Discussed the Q1 order volume and the new price list. " * 4,
                "products": [
                    {"sku": f"SKU-{i:04d}", "qty": i * 10, "price": 12.5} for i in range(8)
                ],
            },
            "step": n,
        },
        "widget_data": {"visit_kind": "in_person", "page": 0, "selected": [1, 3, 5]},
    }


async def one_update(storage: BaseStorage, n: int) -> None:
    await storage.get_state(KEY)
    data = await storage.get_data(KEY)
    await storage.set_state(KEY, f"VisitSG:step{n % 4}")
    await storage.set_data(KEY, {**data, **dialog_data(n)})


async def time_batch(storage: BaseStorage, updates: int) -> float:
    start = time.perf_counter()
    for n in range(updates):
        await one_update(storage, n)
    return (time.perf_counter() - start) / updates


async def redis_storage() -> RedisStorage | None:
    prefix = f"salesbot-bench-{os.getpid()}"
    storage = RedisStorage.from_url(
        REDIS_URL,
        key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True),
        connection_kwargs={"socket_connect_timeout": 1},
    )
    try:
        await storage.redis.ping()
    except (RedisError, OSError) as exc:
        print(f"note: Redis at {REDIS_URL} does not answer ({exc}); RedisStorage skipped")
        await storage.close()
        return None
    return storage


async def main(rounds: int, updates: int) -> None:
    print(f"update data: {len(json.dumps(dialog_data(0), ensure_ascii=False).encode())} bytes")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/fsm.db"
        await upgrade(url)
        engine = make_engine(url)
        candidates: dict[str, BaseStorage] = {
            "MemoryStorage": MemoryStorage(),
            SQL: SqlStorage(SqlFsmStore(make_sessionmaker(engine))),
        }
        if (redis := await redis_storage()) is not None:
            candidates["RedisStorage"] = redis
        try:
            for storage in candidates.values():  # warm-up: connections, caches, first row
                await time_batch(storage, 10)
            times: dict[str, list[float]] = {name: [] for name in candidates}
            for _ in range(rounds):
                for name, storage in candidates.items():
                    times[name].append(await time_batch(storage, updates))
        finally:
            if redis is not None:
                async for key in redis.redis.scan_iter(f"{redis.key_builder.prefix}:*"):
                    await redis.redis.delete(key)
            for storage in candidates.values():
                await storage.close()
            await engine.dispose()

    base = statistics.median(times["MemoryStorage"])
    print(f"{rounds} rounds x {updates} updates, interleaved; median per update")
    print(f"{'storage':<26}{'µs/update':>12}{'× Memory':>10}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<26}{median * 1e6:>12.1f}{median / base:>10.1f}")
    if "RedisStorage" in times:
        sql, redis_ = (statistics.median(times[n]) for n in (SQL, "RedisStorage"))
        print(f"{SQL} ÷ RedisStorage: {sql / redis_:.1f}×")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--updates", type=int, default=100, help="updates per round")
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.updates))
