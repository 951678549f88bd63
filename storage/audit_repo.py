"""The audit trail: who did what, when, on whose behalf."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import AuditEntry
from storage.batches import bulk_insert
from storage.tables import AuditRow


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: AuditEntry) -> None:
        self._session.add(AuditRow(**_audit_values(entry)))

    async def add_many(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            await self._session.execute(bulk_insert(AuditRow), [_audit_values(e) for e in entries])


def _audit_values(entry: AuditEntry) -> dict[str, Any]:
    return {
        "action": entry.action,
        "actor_id": entry.actor_id,
        "on_behalf_of": entry.on_behalf_of,
        "at": entry.at,
        "subject": entry.subject,
        "comment": entry.comment,
    }
