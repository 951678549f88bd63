"""One database session per update.

Everything an update touches — the dialog state it loads and saves, the unit of work its use case
runs in, the inbox row that records it as handled — goes through one session, so an update holds at
most one pooled connection and the pool cannot deadlock however many updates run at once.

Dialog state writes are buffered and flushed at the end of the update: a use case that rolls back
never takes the person's form with it, and the form's new state commits together with the inbox
mark. The inbox mark also joins the first commit of the update's use case, so a change and the
record that the update was handled are one transaction: after a crash an update is either done or
handled again from scratch, never half.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.tables import InboxRow

FsmKey = tuple[int, int, int, int, str, str]
ChatKey = tuple[int, int, int, str]  # bot_id, chat_id, thread_id, business_connection_id
FsmValue = tuple[str | None, str]  # state, data as stored (JSON)

FlushFsm = Callable[["UpdateScope"], Awaitable[None]]

_current: ContextVar[UpdateScope | None] = ContextVar("salesbot_update_scope", default=None)


class UpdateScope:
    def __init__(
        self,
        session: AsyncSession,
        update_id: int | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.session = session
        self.update_id = update_id
        self._clock = clock
        self._owner = asyncio.current_task()
        self._marked = update_id is None
        self.fsm_writes: dict[FsmKey, dict[str, Any]] = {}
        self.fsm_rows: dict[FsmKey, FsmValue] = {}  # as read from the database
        self.fsm_chats: set[ChatKey] = set()  # chats whose rows are all in fsm_rows
        self.committed = False

    def owned_here(self) -> bool:
        """A task started inside an update (a background dialog) inherits the context variable
        but must not share the session: sessions are not safe across concurrent tasks."""
        return asyncio.current_task() is self._owner

    async def commit(self) -> None:
        """Commit the update's session; the first commit also records the update as handled."""
        await self._mark()
        await self.session.commit()
        self.committed = True

    async def _mark(self) -> None:
        if self._marked:
            return
        await self.session.execute(
            update(InboxRow)
            .where(InboxRow.update_id == self.update_id)
            .values(handled_at=self._clock())
        )
        self._marked = True

    async def finish(self, flush_fsm: FlushFsm) -> None:
        await self.session.rollback()  # whatever a use case left uncommitted is not kept
        if self.fsm_writes:
            await flush_fsm(self)
            self.fsm_writes = {}
        if not self._marked or self.session.in_transaction():
            await self.commit()


def current_scope() -> UpdateScope | None:
    scope = _current.get()
    return scope if scope is not None and scope.owned_here() else None


@contextlib.asynccontextmanager
async def update_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
    update_id: int | None,
    clock: Callable[[], datetime],
    flush_fsm: FlushFsm,
) -> AsyncIterator[UpdateScope]:
    """The update's session for as long as it is handled; closed (and its connection returned)
    when the update is done, whether or not the handler failed."""
    async with sessionmaker() as session:
        scope = UpdateScope(session, update_id, clock)
        token = _current.set(scope)
        try:
            yield scope
            await scope.finish(flush_fsm)
        finally:
            _current.reset(token)
