"""Dialog state in SQL. The aiogram adapter (bot/fsm.py) maps aiogram's StorageKey onto FsmKey,
so this module stays free of the bot framework."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.scope import FsmKey, current_scope
from storage.tables import FsmRow

# FsmKey: (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny); None is stored
# as 0 / "" because NULLs never collide in a primary key.
KEY_COLUMNS = ("bot_id", "chat_id", "user_id", "thread_id", "business_connection_id", "destiny")


def _where(key: FsmKey) -> dict[str, Any]:
    return dict(zip(KEY_COLUMNS, key, strict=True))


def _decode(state: str | None, raw: str) -> tuple[str | None, dict[str, Any]]:
    data = json.loads(raw)
    return state, data if isinstance(data, dict) else {}


async def _read(session: AsyncSession, key: FsmKey) -> tuple[str | None, dict[str, Any]]:
    row = (
        await session.execute(select(FsmRow.state, FsmRow.data).filter_by(**_where(key)))
    ).one_or_none()
    return (None, {}) if row is None else _decode(row.state, row.data)


async def _upsert(session: AsyncSession, key: FsmKey, values: dict[str, Any]) -> None:
    """One atomic statement per write; a row left with no state and no data is removed."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    row = {"state": None, "data": "{}", **_where(key), **values}
    statement = insert(FsmRow).values(row)
    statement = statement.on_conflict_do_update(index_elements=list(KEY_COLUMNS), set_=values)
    await session.execute(statement)
    if values.get("state", "") is None or values.get("data") == "{}":
        await session.execute(
            delete(FsmRow)
            .filter_by(**_where(key))
            .where(FsmRow.state.is_(None), FsmRow.data == "{}")
        )


async def flush_writes(session: AsyncSession, writes: dict[FsmKey, dict[str, Any]]) -> None:
    """The dialog state an update changed, written at its end (see storage/scope.py)."""
    for key, values in writes.items():
        await _upsert(session, key, values)


async def flush_pending() -> None:
    """Write and commit the dialog state the current update has buffered so far."""
    scope = current_scope()
    if scope is None or not scope.fsm_writes:
        return
    writes, scope.fsm_writes = scope.fsm_writes, {}
    await flush_writes(scope.session, writes)
    await scope.commit()


class SqlFsmStore:
    """Inside an update, reads and writes go through the update's own session (writes buffered
    until the update ends); outside one (a background job), each call is a short transaction."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def _row(self, key: FsmKey) -> tuple[str | None, dict[str, Any]]:
        scope = current_scope()
        if scope is None:
            async with self._sessionmaker() as session:
                return await _read(session, key)
        pending = scope.fsm_writes.get(key)
        if pending is not None and "state" in pending and "data" in pending:
            return _decode(pending["state"], pending["data"])
        state, data = await _read(scope.session, key)
        if pending is None:
            return state, data
        if "data" in pending:
            return _decode(state, pending["data"])
        return pending["state"], data

    async def get_state(self, key: FsmKey) -> str | None:
        return (await self._row(key))[0]

    async def get_data(self, key: FsmKey) -> dict[str, Any]:
        return (await self._row(key))[1]

    async def set_state(self, key: FsmKey, state: str | None) -> None:
        await self._write(key, {"state": state})

    async def set_data(self, key: FsmKey, data: Mapping[str, Any]) -> None:
        await self._write(key, {"data": json.dumps(dict(data), ensure_ascii=False)})

    async def _write(self, key: FsmKey, values: dict[str, Any]) -> None:
        scope = current_scope()
        if scope is not None:
            scope.fsm_writes.setdefault(key, {}).update(values)
            return
        async with self._sessionmaker() as session:
            await _upsert(session, key, values)
            await session.commit()
