"""Dialog state in SQL. The aiogram adapter (bot/fsm.py) maps aiogram's StorageKey onto FsmKey,
so this module stays free of the bot framework.

Inside an update (storage/scope.py) the first read loads every row of the chat at once, the
aiogram state and each of aiogram-dialog's stacks and contexts, which an update otherwise read
one query at a time; writes are buffered, and at the end of the update only rows whose value
changed are written (aiogram-dialog saves its stack and context on every update)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Delete, Insert, Select, Table, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.scope import ChatKey, FsmKey, FsmValue, UpdateScope, current_scope
from storage.tables import FsmRow

# FsmKey: (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny); None is stored
# as 0 / "" because NULLs never collide in a primary key.
KEY_COLUMNS = ("bot_id", "chat_id", "user_id", "thread_id", "business_connection_id", "destiny")
CHAT_COLUMNS = ("bot_id", "chat_id", "thread_id", "business_connection_id")
EMPTY: FsmValue = (None, "{}")

_table = cast(Table, FsmRow.__table__)
_CHAT_ROWS: Select[Any] = select(_table.c.user_id, _table.c.destiny, _table.c.state, _table.c.data)
_CHAT_ROWS = _CHAT_ROWS.where(*(_table.c[c] == bindparam(c) for c in CHAT_COLUMNS))
_DELETE: Delete = delete(_table).where(*(_table.c[c] == bindparam(c) for c in KEY_COLUMNS))
_PUT: dict[str, Insert] = {}


def _where(key: FsmKey) -> dict[str, Any]:
    return dict(zip(KEY_COLUMNS, key, strict=True))


def chat_of(key: FsmKey) -> ChatKey:
    return (key[0], key[1], key[3], key[4])


def _decode(state: str | None, raw: str) -> tuple[str | None, dict[str, Any]]:
    data = json.loads(raw)
    return state, data if isinstance(data, dict) else {}


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _put(session: AsyncSession) -> Insert:
    """INSERT ... ON CONFLICT DO UPDATE of a whole row, built once per dialect."""
    dialect = session.get_bind().dialect.name
    if dialect not in _PUT:
        insert = _insert(session)(_table).values(
            {c: bindparam(c) for c in (*KEY_COLUMNS, "state", "data")}
        )
        _PUT[dialect] = insert.on_conflict_do_update(
            index_elements=list(KEY_COLUMNS),
            set_={"state": insert.excluded.state, "data": insert.excluded.data},
        )
    return _PUT[dialect]


async def _read(session: AsyncSession, key: FsmKey) -> tuple[str | None, dict[str, Any]]:
    row = (
        await session.execute(select(FsmRow.state, FsmRow.data).filter_by(**_where(key)))
    ).one_or_none()
    return (None, {}) if row is None else _decode(row.state, row.data)


async def _upsert(session: AsyncSession, key: FsmKey, values: dict[str, Any]) -> None:
    """One atomic statement per write; a row left with no state and no data is removed."""
    row = {"state": None, "data": "{}", **_where(key), **values}
    statement = _insert(session)(FsmRow).values(row)
    statement = statement.on_conflict_do_update(index_elements=list(KEY_COLUMNS), set_=values)
    await session.execute(statement)
    if values.get("state", "") is None or values.get("data") == "{}":
        await session.execute(
            delete(FsmRow)
            .filter_by(**_where(key))
            .where(FsmRow.state.is_(None), FsmRow.data == "{}")
        )


async def _load_chat(scope: UpdateScope, chat: ChatKey) -> None:
    """Every row of the chat, once per update."""
    result = await scope.session.execute(_CHAT_ROWS, dict(zip(CHAT_COLUMNS, chat, strict=True)))
    bot_id, chat_id, thread_id, connection = chat
    for user_id, destiny, state, data in result:
        key = (bot_id, chat_id, user_id, thread_id, connection, destiny)
        scope.fsm_rows[key] = (state, data)
    scope.fsm_chats.add(chat)


async def flush_writes(scope: UpdateScope) -> None:
    """The dialog state an update changed, written at its end (see storage/scope.py): a row
    whose value did not change is not written, an emptied one is deleted."""
    session = scope.session
    for key, values in scope.fsm_writes.items():
        if chat_of(key) not in scope.fsm_chats:  # written without being read: not known
            await _upsert(session, key, values)
            continue
        before = scope.fsm_rows.get(key, EMPTY)
        after = (values.get("state", before[0]), values.get("data", before[1]))
        if after == before:
            continue
        if after == EMPTY:
            await session.execute(_DELETE, _where(key))
        else:
            await session.execute(
                _put(session), {**_where(key), "state": after[0], "data": after[1]}
            )
        scope.fsm_rows[key] = after


async def flush_pending() -> None:
    """Write and commit the dialog state the current update has buffered so far."""
    scope = current_scope()
    if scope is None or not scope.fsm_writes:
        return
    await flush_writes(scope)
    scope.fsm_writes = {}
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
        if chat_of(key) not in scope.fsm_chats:
            await _load_chat(scope, chat_of(key))
        state, data = scope.fsm_rows.get(key, EMPTY)
        pending = scope.fsm_writes.get(key, {})
        return _decode(pending.get("state", state), pending.get("data", data))

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
