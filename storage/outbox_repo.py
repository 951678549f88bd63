"""The outbox as use cases write it: notifications queued in the transaction of their change.
The sender's side is storage/outbox_queue.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, literal, literal_column
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Notification
from storage.batches import bulk_insert
from storage.tables import OutboxRow
from storage.types import UTCDateTime


class SqlOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.queued = False  # whether this unit of work queued anything (to wake the sender)

    async def add(self, notification: Notification, now: datetime) -> None:
        self.queued = True
        self._session.add(
            OutboxRow(**_outbox_values(notification), created_at=now, next_attempt_at=now)
        )

    async def add_many(self, notifications: Sequence[Notification], now: datetime) -> None:
        if notifications:
            self.queued = True
            at = self._written_once(now)
            await self._session.execute(
                bulk_insert(OutboxRow).values(created_at=at, next_attempt_at=at),
                [_outbox_values(n) for n in notifications],
            )

    def _written_once(self, at: datetime) -> ColumnElement[datetime]:
        """`at` as a literal of the statement: an executemany binds (and formats) a parameter
        once per row, and a sweep writes thousands of rows at one moment."""
        dialect = self._session.get_bind().dialect
        sql = literal(at, UTCDateTime()).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        return literal_column(str(sql), UTCDateTime())


def _outbox_values(notification: Notification) -> dict[str, Any]:
    return {
        "recipient_id": notification.recipient_id,
        "template": notification.template,
        "params": notification.params,
        "ref": notification.ref,
        "edit": notification.edit,
        "edit_only": notification.edit_only,
        "status": "pending",
        "attempts": 0,
    }
