"""The team: people and the invites that bring them in."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Row,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Invite, Person
from bot.core.roles import Role
from storage.batches import id_batches
from storage.tables import InviteRow, PersonRow


def _person(row: PersonRow | Row[Any]) -> Person:
    return Person(
        id=row.id,
        telegram_id=row.telegram_id,
        full_name=row.full_name,
        role=Role(row.role),
        reports_to=row.reports_to,
        language=row.language,
        active=row.active,
        unreachable=row.unreachable,
        joined_at=row.joined_at,
    )


def _invite(row: InviteRow) -> Invite:
    return Invite(
        code=row.code,
        role=Role(row.role),
        reports_to=row.reports_to,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_by=row.used_by,
        used_at=row.used_at,
        name=row.name,
    )


PERSON_COLUMNS = select(*(getattr(PersonRow, c.key) for c in PersonRow.__table__.c))
EVERYONE = PERSON_COLUMNS.order_by(PersonRow.id)


class SqlPersonRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._everyone: tuple[object, list[Person]] | None = None

    async def get(self, person_id: int) -> Person | None:
        row = await self._session.get(PersonRow, person_id)
        return _person(row) if row else None

    async def by_ids(self, person_ids: Collection[int]) -> Sequence[Person]:
        found = []
        for batch in id_batches(person_ids):
            rows = await self._session.scalars(
                select(PersonRow).where(PersonRow.id.in_(batch)).order_by(PersonRow.id)
            )
            found += [_person(row) for row in rows]
        return found

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        row = await self._session.scalar(
            select(PersonRow).where(PersonRow.telegram_id == telegram_id)
        )
        return _person(row) if row else None

    async def all(self) -> Sequence[Person]:
        """Everyone, read once per transaction: a form shows the org tree on every screen (the
        customers a manager sees, the names on a request), and 500 people cost ~9 ms to load.
        A write through this repository, a commit or a rollback reads them again."""
        transaction = self._session.sync_session.get_transaction()
        if self._everyone is not None and self._everyone[0] is transaction:
            return list(self._everyone[1])
        people = [_person(row) for row in await self._session.execute(EVERYONE)]
        self._everyone = (self._session.sync_session.get_transaction(), people)
        return list(people)

    async def admin_count(self) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(PersonRow)
            .where(PersonRow.role == Role.admin.value, PersonRow.active.is_(True))
        )
        return count or 0

    async def add(
        self,
        *,
        telegram_id: int,
        full_name: str,
        role: Role,
        reports_to: int | None,
        language: str | None,
        joined_at: datetime,
    ) -> Person:
        row = PersonRow(
            telegram_id=telegram_id,
            full_name=full_name,
            role=role.value,
            reports_to=reports_to,
            language=language,
            active=True,
            unreachable=False,
            joined_at=joined_at,
        )
        self._session.add(row)
        await self._session.flush()
        self._everyone = None
        return _person(row)

    async def claim_reachable(self, person_id: int) -> bool:
        self._everyone = None
        result = await self._session.execute(
            update(PersonRow)
            .where(PersonRow.id == person_id, PersonRow.unreachable)
            .values(unreachable=False)
            .returning(PersonRow.id)
        )
        return result.scalar_one_or_none() is not None

    async def save(self, person: Person) -> None:
        self._everyone = None
        await self._session.execute(
            update(PersonRow)
            .where(PersonRow.id == person.id)
            .values(
                full_name=person.full_name,
                role=person.role.value,
                reports_to=person.reports_to,
                language=person.language,
                active=person.active,
                unreachable=person.unreachable,
            )
        )


class SqlInviteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, invite: Invite) -> None:
        self._session.add(
            InviteRow(
                code=invite.code,
                role=invite.role.value,
                reports_to=invite.reports_to,
                created_by=invite.created_by,
                created_at=invite.created_at,
                expires_at=invite.expires_at,
                name=invite.name,
            )
        )
        await self._session.flush()

    async def get(self, code: str) -> Invite | None:
        row = await self._session.get(InviteRow, code)
        return _invite(row) if row else None

    async def open(self, now: datetime) -> Sequence[Invite]:
        rows = await self._session.scalars(
            select(InviteRow)
            .where(InviteRow.used_by.is_(None), InviteRow.expires_at > now)
            .order_by(InviteRow.expires_at, InviteRow.code)
        )
        return [_invite(row) for row in rows]

    async def claim(self, code: str, telegram_id: int, now: datetime) -> bool:
        result = await self._session.execute(
            update(InviteRow)
            .where(
                InviteRow.code == code,
                InviteRow.used_by.is_(None),
                InviteRow.expires_at > now,
            )
            .values(used_by=telegram_id, used_at=now)
            .returning(InviteRow.code)
        )
        return result.scalar_one_or_none() is not None
