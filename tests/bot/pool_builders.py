"""The demo's Minghua (Zhao Lei's) sent to the customer pool, for the dispatcher tier."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from feed import REP, Fed
from harness import FakeClock

from bot.core.policy import Policy
from bot.core.usecases.pool_sweep import sweep_pool

NOW = FakeClock()()
MINGHUA = "Minghua Trading Co., Ltd."


def query(fed: Fed, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(fed.db_path) as db:
        return list(db.execute(sql))


def alert(fed: Fed, callback_id: str) -> str:
    answer = fed.answer(callback_id)
    assert answer is not None
    return str(answer.text)


def owner_of(fed: Fed, name: str) -> object:
    ((owner, pooled),) = query(
        fed,
        "SELECT p.telegram_id, c.pooled_at FROM customers c JOIN people p ON p.id = c.owner_id"
        f" WHERE c.name = '{name}'",
    )
    return owner, pooled is not None


async def pool_minghua(fed: Fed) -> None:
    """Minghua taken 31 days ago and never visited: warned three days ago, returned today."""
    ((customer_id,),) = query(fed, f"SELECT id FROM customers WHERE name = '{MINGHUA}'")
    ((owner_id,),) = query(fed, f"SELECT id FROM people WHERE telegram_id = {REP}")
    async with fed.uow() as uow:
        assert isinstance(customer_id, int)
        assert isinstance(owner_id, int)
        await uow.pool.take(customer_id, owner_id, NOW - timedelta(days=31), from_pool=False)
        await uow.commit()
    for at, messages in ((NOW - timedelta(days=3), 1), (NOW, 2), (NOW, 0)):
        async with fed.uow() as uow:  # warned; returned (owner and supervisor told); no more
            assert await sweep_pool(uow, policy=Policy(), now=at) == messages
    assert owner_of(fed, MINGHUA) == (REP, True)
