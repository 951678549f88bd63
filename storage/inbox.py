"""The update inbox: an update is stored before Telegram is told it arrived, and marked handled in
the same transaction as its first change (storage/scope.py)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.models import StoredUpdate
from storage.fsm import flush_writes
from storage.scope import UpdateScope, update_scope
from storage.tables import InboxRow


class SqlInbox:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    async def store(self, updates: Sequence[StoredUpdate]) -> set[int]:
        """Insert what is new in one transaction; the ids that were new (a re-delivered update is
        already here, handled or on its way, and must have no second effect)."""
        if not updates:
            return set()
        now = self._clock()
        rows = [
            {
                "update_id": u.update_id,
                "chat_key": u.chat_key,
                "payload": u.payload,
                "received_at": now,
            }
            for u in updates
        ]
        async with self._sessionmaker() as session:
            insert = (
                postgresql.insert
                if session.get_bind().dialect.name == "postgresql"
                else sqlite.insert
            )
            result = await session.execute(
                insert(InboxRow)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["update_id"])
                .returning(InboxRow.update_id)
            )
            new = {row[0] for row in result}
            await session.commit()
        return new

    async def unhandled(self, *, received_before: datetime | None = None) -> list[StoredUpdate]:
        """What was stored but never handled (the process stopped first), oldest first."""
        query = select(InboxRow.update_id, InboxRow.chat_key, InboxRow.payload).where(
            InboxRow.handled_at.is_(None)
        )
        if received_before is not None:
            query = query.where(InboxRow.received_at < received_before)
        async with self._sessionmaker() as session:
            rows = await session.execute(query.order_by(InboxRow.update_id))
            return [StoredUpdate(*row) for row in rows]

    async def prune(self, handled_before: datetime) -> int:
        async with self._sessionmaker() as session:
            result = await session.execute(
                delete(InboxRow).where(
                    InboxRow.handled_at.is_not(None), InboxRow.handled_at < handled_before
                )
            )
            await session.commit()
            return int(getattr(result, "rowcount", 0) or 0)

    @contextlib.asynccontextmanager
    async def handling(self, update_id: int | None) -> AsyncIterator[UpdateScope]:
        """The update's one session, from its first read to the mark that it was handled."""
        async with update_scope(self._sessionmaker, update_id, self._clock, flush_writes) as scope:
            yield scope
