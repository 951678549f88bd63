"""The fakes behave like the SQL adapters where the use cases can tell."""

from __future__ import annotations

from fakes import NOW, SUE, FakeUnitOfWork, make_invite, make_org

from bot.core.models import Notification
from bot.core.roles import Role


async def test_leaving_without_commit_forgets_the_writes() -> None:
    async with FakeUnitOfWork.of(make_org()) as uow:
        before = uow.snapshot()
        await uow.people.add(
            telegram_id=5,
            full_name="X",
            role=Role.rep,
            reports_to=None,
            language=None,
            joined_at=NOW,
        )
        await uow.outbox.add(Notification(SUE, "hello"), NOW)

    assert uow.snapshot() == before
    assert uow.committed == 0


async def test_rollback_returns_to_the_last_commit() -> None:
    uow = FakeUnitOfWork.of(make_org(), [make_invite()])
    assert await uow.invites.claim("CODE", 5, NOW)
    await uow.commit()
    committed = uow.snapshot()
    await uow.outbox.add(Notification(SUE, "hello"), NOW)

    await uow.rollback()

    assert uow.snapshot() == committed
    assert uow.invites["CODE"].used_by == 5


async def test_reads_are_copies() -> None:
    uow = FakeUnitOfWork.of(make_org())

    person = await uow.people.get(SUE)
    assert person is not None
    person.role = Role.admin

    assert uow.people[SUE].role is Role.supervisor
