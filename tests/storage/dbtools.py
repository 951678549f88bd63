"""Small helpers for the storage tests (imported as `dbtools`, like tests/bot's harness)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase

from bot.core.models import Invite, Person
from bot.core.roles import Role
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WEEK = timedelta(days=7)

Sessions = async_sessionmaker[AsyncSession]


async def add_person(sessionmaker: Sessions, telegram_id: int, **overrides: Any) -> Person:
    fields: dict[str, Any] = {
        "full_name": f"Person {telegram_id}",
        "role": Role.rep,
        "reports_to": None,
        "language": None,
        "joined_at": NOW,
        **overrides,
    }
    async with SqlUnitOfWork(sessionmaker) as uow:
        person = await uow.people.add(telegram_id=telegram_id, **fields)
        await uow.commit()
    return person


async def add_invite(sessionmaker: Sessions, code: str = "CODE", **overrides: Any) -> Invite:
    fields: dict[str, Any] = {
        "role": Role.rep,
        "reports_to": None,
        "created_by": None,
        "created_at": NOW,
        "expires_at": NOW + WEEK,
        **overrides,
    }
    invite = Invite(code=code, **fields)
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.invites.add(invite)
        await uow.commit()
    return invite


async def count(sessionmaker: Sessions, table: type[DeclarativeBase]) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def row(sessionmaker: Sessions, table: type[Any], key: object) -> Any:
    """A fresh copy of one row, read in a session of its own."""
    async with sessionmaker() as session:
        return await session.get(table, key)


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends while the block runs."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
