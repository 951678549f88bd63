from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.core.models import FailedNotification, OutboxItem
from storage.tables import OutboxRow, PersonRow


class SqlOutboxQueue:
    """Claims with one conditional UPDATE … RETURNING, correct on SQLite and PostgreSQL alike,
    so two senders running by mistake never take the same row. `attempts` counts real
    delivery failures only (see `OutboxQueue`)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @staticmethod
    def _due(now: datetime) -> ColumnElement[bool]:
        return or_(
            and_(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now),
            and_(OutboxRow.status == "sending", OutboxRow.claimed_until < now),
        )

    @staticmethod
    def _not_behind(now: datetime) -> ColumnElement[bool]:
        """A chat's messages go out in order: a row waits while an earlier one for the same
        person is postponed or still being sent."""
        earlier = aliased(OutboxRow)
        blocking = (
            select(earlier.id)
            .where(
                earlier.recipient_id == OutboxRow.recipient_id,
                earlier.id < OutboxRow.id,
                or_(
                    and_(earlier.status == "pending", earlier.next_attempt_at > now),
                    and_(earlier.status == "sending", earlier.claimed_until >= now),
                ),
            )
            .correlate(OutboxRow)
        )
        return ~exists(blocking)

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[OutboxItem]:
        async with self._sessionmaker() as session:
            candidates = (
                select(OutboxRow.id)
                .where(self._due(now), self._not_behind(now))
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                # Competing senders skip each other's rows instead of coming back empty; the CTE
                # runs once, so LIMIT holds (an IN subquery may be re-evaluated per row).
                chosen = candidates.with_for_update(skip_locked=True).cte("chosen")
                target = OutboxRow.id == chosen.c.id
            else:
                target = OutboxRow.id.in_(candidates.scalar_subquery())
            claimed = await session.execute(
                update(OutboxRow)
                .where(target, self._due(now))
                .values(status="sending", claimed_until=lease_until)
                .returning(OutboxRow.id)
            )
            ids = [row[0] for row in claimed]
            await session.commit()
            if not ids:
                return []
            rows = await session.execute(
                select(OutboxRow, PersonRow.telegram_id, PersonRow.language)
                .join(PersonRow, PersonRow.id == OutboxRow.recipient_id)
                .where(OutboxRow.id.in_(ids))
                .order_by(OutboxRow.id)
            )
            return [
                OutboxItem(
                    id=row.id,
                    recipient_id=row.recipient_id,
                    chat_id=telegram_id,
                    language=language,
                    template=row.template,
                    params=dict(row.params),
                    ref=row.ref,
                    attempts=row.attempts,
                    edit=row.edit,
                    edit_only=row.edit_only,
                )
                for row, telegram_id, language in rows
            ]

    async def last_sent(self, ref: str, chat_id: int, since: datetime | None = None) -> int | None:
        async with self._sessionmaker() as session:
            row = await session.execute(
                select(OutboxRow.message_id, OutboxRow.sent_at)
                .where(
                    OutboxRow.ref == ref,
                    OutboxRow.chat_id == chat_id,
                    OutboxRow.status == "sent",
                    OutboxRow.message_id.is_not(None),
                    OutboxRow.message_id != 0,
                )
                .order_by(OutboxRow.id.desc())
                .limit(1)
            )
            found = row.first()
            if found is None or found.message_id is None:
                return None
            if since is not None and (found.sent_at is None or found.sent_at < since):
                return None  # the last one is too old to be edited into a bundle
            return int(found.message_id)

    async def mark_sent(self, sent: Mapping[int, int], now: datetime) -> None:
        """Many rows in one transaction (item id -> Telegram message id), no reads: the
        sender's hot path (see bench/outbox.py and bench/broadcast.py)."""
        if not sent:
            return
        outbox = OutboxRow.metadata.tables["outbox"]
        chat = select(PersonRow.telegram_id).where(PersonRow.id == outbox.c.recipient_id)
        recipients = select(OutboxRow.recipient_id).where(OutboxRow.id.in_(sent))
        async with self._sessionmaker() as session:
            await session.execute(
                update(outbox)
                .where(outbox.c.id == bindparam("item_id"))
                .values(
                    status="sent",
                    sent_at=now,
                    message_id=bindparam("sent_message_id"),
                    error=None,
                    chat_id=chat.scalar_subquery(),
                ),
                [{"item_id": i, "sent_message_id": m} for i, m in sent.items()],
            )
            await session.execute(
                update(PersonRow)
                .where(PersonRow.id.in_(recipients), PersonRow.unreachable)
                .values(unreachable=False)
            )
            await session.commit()

    async def postpone(self, item_ids: Sequence[int], until: datetime, reason: str) -> None:
        async with self._sessionmaker() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(item_ids))
                .values(status="pending", next_attempt_at=until, claimed_until=None, error=reason)
            )
            await session.commit()

    async def retry_after_failure(self, item_id: int, at: datetime, error: str) -> None:
        await self._set(
            item_id,
            status="pending",
            next_attempt_at=at,
            claimed_until=None,
            error=error,
            attempts=OutboxRow.attempts + 1,
        )

    async def fail(self, item_id: int, error: str, *, unreachable: bool, now: datetime) -> None:
        async with self._sessionmaker() as session:
            row = await session.get(OutboxRow, item_id)
            if row is None:
                return
            row.status, row.error, row.claimed_until = "failed", error[:500], None
            row.attempts, row.failed_at = row.attempts + 1, now
            if unreachable:
                await session.execute(
                    update(PersonRow)
                    .where(PersonRow.id == row.recipient_id)
                    .values(unreachable=True)
                )
            await session.commit()

    async def recent_failures(self, limit: int) -> list[FailedNotification]:
        """The last `limit` rows settled as failed, newest first, with whom they were for."""
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(OutboxRow, PersonRow.full_name)
                .join(PersonRow, PersonRow.id == OutboxRow.recipient_id)
                .where(OutboxRow.status == "failed")
                .order_by(OutboxRow.failed_at.desc().nulls_last(), OutboxRow.id.desc())
                .limit(limit)
            )
            return [
                FailedNotification(
                    id=row.id,
                    failed_at=row.failed_at,
                    recipient_id=row.recipient_id,
                    recipient_name=name,
                    template=row.template,
                    error=row.error,
                )
                for row, name in rows
            ]

    async def _set(self, item_id: int, **values: object) -> None:
        async with self._sessionmaker() as session:
            await session.execute(update(OutboxRow).where(OutboxRow.id == item_id).values(**values))
            await session.commit()
