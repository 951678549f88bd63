"""What the use cases need from storage. `storage/` implements these; tests use in-memory fakes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, Self

from bot.core.models import AuditEntry, Invite, Notification, OutboxItem, Person
from bot.core.roles import Role


class PersonRepo(Protocol):
    async def get(self, person_id: int) -> Person | None: ...

    async def by_telegram_id(self, telegram_id: int) -> Person | None: ...

    async def all(self) -> Sequence[Person]: ...

    async def admin_count(self) -> int: ...

    async def add(
        self,
        *,
        telegram_id: int,
        full_name: str,
        role: Role,
        reports_to: int | None,
        language: str | None,
        joined_at: datetime,
    ) -> Person: ...

    async def save(self, person: Person) -> None: ...


class InviteRepo(Protocol):
    async def add(self, invite: Invite) -> None: ...

    async def get(self, code: str) -> Invite | None: ...

    async def claim(self, code: str, telegram_id: int, now: datetime) -> bool:
        """Mark an unused, unexpired invite used; False if it was not (another claim won)."""
        ...


class Outbox(Protocol):
    async def add(self, notification: Notification, now: datetime) -> None: ...


class AuditLog(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...


class UnitOfWork(Protocol):
    people: PersonRepo
    invites: InviteRepo
    outbox: Outbox
    audit: AuditLog

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class OutboxQueue(Protocol):
    """The sender's side of the outbox. Each call is its own short transaction."""

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[OutboxItem]:
        """Atomically take pending rows that are due (and rows whose lease ran out)."""
        ...

    async def mark_sent(self, item_id: int, message_id: int, now: datetime) -> None: ...

    async def retry_at(self, item_id: int, at: datetime, error: str) -> None: ...

    async def fail(self, item_id: int, error: str, *, unreachable: bool) -> None: ...
