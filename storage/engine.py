from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import await_
from sqlalchemy.util.concurrency import in_greenlet

BUSY_TIMEOUT_S = 5
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}",
    "PRAGMA synchronous=NORMAL",
)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")
HOLDS_GATE = "salesbot_write_gate"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class WriteGate:
    """SQLite lets one connection write at a time; the others sleep and retry inside the driver
    (busy_timeout), with waits that grow to 100 ms. Under a burst that made the bot idle while
    updates queued, and a writer that kept losing the race failed after 5 s with "database is
    locked" (the outbox sender's mark_sent among them). Within one process, writers now queue
    here in order instead: a connection takes the gate before its transaction's first write and
    gives it back when the transaction ends. Other processes on the same file still meet the
    busy timeout."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()

    def before_execute(
        self,
        conn: Connection,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if conn.info.get(HOLDS_GATE) or not statement.lstrip()[:6].upper().startswith(WRITES):
            return
        if not in_greenlet():  # a synchronous caller: SQLite's own locking applies
            return
        try:
            await_(asyncio.wait_for(self._lock.acquire(), BUSY_TIMEOUT_S))
        except TimeoutError:
            raise OperationalError(
                statement, parameters, sqlite3.OperationalError("database is locked")
            ) from None
        conn.info[HOLDS_GATE] = True

    def transaction_ended(self, conn: Connection) -> None:
        self._release(conn.info)

    def checked_in(self, _dbapi_connection: Any, record: Any) -> None:
        self._release(record.info)  # a connection returned while still holding the gate

    def _release(self, info: dict[Any, Any]) -> None:
        if info.pop(HOLDS_GATE, False):
            self._lock.release()


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; on SQLite every connection gets WAL, foreign keys and a busy timeout, and
    the process's writers take turns through a WriteGate."""
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sync_engine = engine.sync_engine
        event.listen(sync_engine, "connect", _set_sqlite_pragmas)
        gate = WriteGate()
        event.listen(sync_engine, "before_cursor_execute", gate.before_execute)
        event.listen(sync_engine, "commit", gate.transaction_ended)
        event.listen(sync_engine, "rollback", gate.transaction_ended)
        event.listen(sync_engine.pool, "checkin", gate.checked_in)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
