"""Dialog state in SQL. The aiogram adapter (bot/fsm.py) maps aiogram's StorageKey onto FsmKey,
so this module stays free of the bot framework."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.tables import FsmRow

# (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny); None is stored as 0 / ""
# because NULLs never collide in a primary key.
FsmKey = tuple[int, int, int, int, str, str]
KEY_COLUMNS = ("bot_id", "chat_id", "user_id", "thread_id", "business_connection_id", "destiny")


def _where(key: FsmKey) -> dict[str, Any]:
    return dict(zip(KEY_COLUMNS, key, strict=True))


class SqlFsmStore:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def _row(self, key: FsmKey) -> tuple[str | None, dict[str, Any]]:
        async with self._sessionmaker() as session:
            row = (
                await session.execute(select(FsmRow.state, FsmRow.data).filter_by(**_where(key)))
            ).one_or_none()
        if row is None:
            return None, {}
        data = json.loads(row.data)
        return row.state, data if isinstance(data, dict) else {}

    async def get_state(self, key: FsmKey) -> str | None:
        return (await self._row(key))[0]

    async def get_data(self, key: FsmKey) -> dict[str, Any]:
        return (await self._row(key))[1]

    async def set_state(self, key: FsmKey, state: str | None) -> None:
        await self._upsert(key, {"state": state})

    async def set_data(self, key: FsmKey, data: Mapping[str, Any]) -> None:
        await self._upsert(key, {"data": json.dumps(dict(data), ensure_ascii=False)})

    async def _upsert(self, key: FsmKey, values: dict[str, Any]) -> None:
        """One atomic statement per write; a row left with no state and no data is removed."""
        async with self._sessionmaker() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            row = {"state": None, "data": "{}", **_where(key), **values}
            statement = insert(FsmRow).values(row)
            statement = statement.on_conflict_do_update(
                index_elements=list(KEY_COLUMNS), set_=values
            )
            await session.execute(statement)
            if values.get("state", "") is None or values.get("data") == "{}":
                await session.execute(
                    delete(FsmRow)
                    .filter_by(**_where(key))
                    .where(FsmRow.state.is_(None), FsmRow.data == "{}")
                )
            await session.commit()
