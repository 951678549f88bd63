"""Repositories and the unit of work, on a migrated database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dbtools import NOW, WEEK, Sessions, add_invite, add_person, count, row
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

from bot.core.models import MAX_ID, AuditEntry, Invite, Notification
from bot.core.roles import Role
from storage.tables import AuditRow, OutboxRow, PersonRow
from storage.uow import SqlUnitOfWork

BIG_TELEGRAM_ID = 7_123_456_789  # past 2**31: telegram ids need BIGINT


async def test_people_add_and_read_back(sessionmaker: Sessions) -> None:
    boss = await add_person(sessionmaker, 1, role=Role.admin)

    async with SqlUnitOfWork(sessionmaker) as uow:
        added = await uow.people.add(
            telegram_id=BIG_TELEGRAM_ID,
            full_name="王小明",
            role=Role.supervisor,
            reports_to=boss.id,
            language="zh",
            joined_at=NOW,
        )
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.people.get(added.id) == added
        assert await uow.people.by_telegram_id(BIG_TELEGRAM_ID) == added
        assert await uow.people.get(added.id + 100) is None
        assert await uow.people.by_telegram_id(42) is None
        assert [p.id for p in await uow.people.all()] == [boss.id, added.id]
    assert (added.role, added.reports_to, added.active, added.unreachable) == (
        Role.supervisor,
        boss.id,
        True,
        False,
    )


async def test_everyone_is_read_once_per_transaction_and_again_after_a_write(
    sessionmaker: Sessions,
) -> None:
    """A form reads the whole team on every screen; within one transaction the list is read
    once. The repository's own writes, and a new transaction, read it again."""
    first = await add_person(sessionmaker, 1)
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert [p.id for p in await uow.people.all()] == [first.id]
        second = await add_person(sessionmaker, 2)  # another session commits meanwhile
        assert [p.id for p in await uow.people.all()] == [first.id], "one read per transaction"
        await uow.rollback()
        assert [p.id for p in await uow.people.all()] == [first.id, second.id]
        await uow.people.save(replace(first, full_name="Renamed"))
        assert (await uow.people.all())[0].full_name == "Renamed"
        third = await uow.people.add(
            telegram_id=3,
            full_name="Third",
            role=Role.rep,
            reports_to=None,
            language=None,
            joined_at=NOW,
        )
        assert [p.id for p in await uow.people.all()] == [first.id, second.id, third.id]
        await uow.commit()
        assert (await uow.people.all())[0].full_name == "Renamed"


async def test_people_save_changes_every_editable_field(sessionmaker: Sessions) -> None:
    boss = await add_person(sessionmaker, 1)
    person = await add_person(sessionmaker, 2)
    changed = replace(
        person,
        full_name="Renamed",
        role=Role.sales_manager,
        reports_to=boss.id,
        language="en",
        active=False,
        unreachable=True,
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.people.save(changed)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.people.get(person.id) == changed
        assert await uow.people.get(boss.id) == boss


async def test_admin_count_counts_active_admins(sessionmaker: Sessions) -> None:
    await add_person(sessionmaker, 1, role=Role.admin)
    gone = await add_person(sessionmaker, 2, role=Role.admin)
    await add_person(sessionmaker, 3, role=Role.general_manager)
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.people.admin_count() == 2
        await uow.people.save(replace(gone, active=False))
        assert await uow.people.admin_count() == 1


async def test_a_telegram_id_belongs_to_one_person(sessionmaker: Sessions) -> None:
    await add_person(sessionmaker, 1)

    with pytest.raises(IntegrityError):
        await add_person(sessionmaker, 1)

    assert await count(sessionmaker, PersonRow) == 1


async def test_foreign_keys_are_enforced(sessionmaker: Sessions) -> None:
    with pytest.raises(IntegrityError):
        await add_person(sessionmaker, 1, reports_to=999)

    assert await count(sessionmaker, PersonRow) == 0


async def test_invites_add_and_get(sessionmaker: Sessions) -> None:
    creator = await add_person(sessionmaker, 1, role=Role.admin)
    invite = await add_invite(
        sessionmaker,
        "abcDEF_123-xyz",
        role=Role.supervisor,
        reports_to=creator.id,
        created_by=creator.id,
    )

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.invites.get("abcDEF_123-xyz") == invite
        assert await uow.invites.get("abcdef_123-xyz") is None  # codes are case-sensitive
        assert await uow.invites.get("nope") is None


async def test_an_invite_keeps_the_newcomers_name(sessionmaker: Sessions) -> None:
    invite = await add_invite(sessionmaker, "NAMED", name="李伟 Li Wei")

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.invites.get("NAMED") == invite
        assert (await uow.invites.get("NAMED")).name == "李伟 Li Wei"  # type: ignore[union-attr]


async def test_open_invites_are_unused_and_unexpired_soonest_first(sessionmaker: Sessions) -> None:
    later = await add_invite(sessionmaker, "LATER", expires_at=NOW + 2 * WEEK)
    sooner = await add_invite(sessionmaker, "SOONER", name="Li Wei")
    await add_invite(sessionmaker, "GONE", expires_at=NOW)
    await add_invite(sessionmaker, "USED")
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.invites.claim("USED", 5, NOW - timedelta(hours=1))
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.invites.open(NOW) == [sooner, later]


async def test_an_invite_is_claimed_once(sessionmaker: Sessions) -> None:
    await add_invite(sessionmaker)

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.invites.claim("CODE", BIG_TELEGRAM_ID, NOW)
        assert not await uow.invites.claim("CODE", 5, NOW)
        await uow.commit()

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert not await uow.invites.claim("CODE", 6, NOW)
        assert await uow.invites.get("CODE") == Invite(
            "CODE", Role.rep, None, None, NOW, NOW + WEEK, used_by=BIG_TELEGRAM_ID, used_at=NOW
        )


@pytest.mark.parametrize(
    ("at", "claimed"),
    [
        (NOW + WEEK - timedelta(microseconds=1), True),
        (NOW + WEEK, False),  # expired exactly at expires_at, as Invite.problem says
        (NOW + WEEK + timedelta(days=1), False),
    ],
)
async def test_an_expired_invite_is_not_claimed(
    sessionmaker: Sessions, at: datetime, claimed: bool
) -> None:
    await add_invite(sessionmaker)

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.invites.claim("CODE", 5, at) is claimed
        assert not await uow.invites.claim("OTHER", 5, NOW)


async def test_leaving_without_commit_rolls_back(sessionmaker: Sessions) -> None:
    await add_invite(sessionmaker)

    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.people.add(
            telegram_id=1,
            full_name="A",
            role=Role.rep,
            reports_to=None,
            language=None,
            joined_at=NOW,
        )
        assert await uow.invites.claim("CODE", 1, NOW)

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.people.by_telegram_id(1) is None
        assert (await uow.invites.get("CODE")).used_by is None  # type: ignore[union-attr]


async def test_an_exception_inside_rolls_back(sessionmaker: Sessions) -> None:
    async def write_then_fail() -> None:
        async with SqlUnitOfWork(sessionmaker) as uow:
            await uow.audit.add(AuditEntry("x", None, NOW, "s"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await write_then_fail()

    assert await count(sessionmaker, AuditRow) == 0


async def test_rollback_then_commit_keeps_only_the_later_writes(sessionmaker: Sessions) -> None:
    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.audit.add(AuditEntry("dropped", None, NOW, "s"))
        await uow.rollback()
        await uow.audit.add(AuditEntry("kept", None, NOW, "s"))
        await uow.commit()

    async with sessionmaker() as session:
        assert list(await session.scalars(select(AuditRow.action))) == ["kept"]


async def test_on_commit_is_called_after_a_commit_that_queued_messages_only(
    sessionmaker: Sessions,
) -> None:
    """The sender is woken by what it has to send: a commit that queued nothing (a sweep with
    nothing due, every few minutes) leaves it asleep."""
    calls: list[int] = []

    def committed() -> None:
        calls.append(1)

    person = await add_person(sessionmaker, 1)
    async with SqlUnitOfWork(sessionmaker, on_commit=committed) as uow:
        await uow.audit.add(AuditEntry("a", None, NOW, "s"))
        await uow.commit()
        assert calls == [], "nothing queued"
        await uow.outbox.add(Notification(person.id, "welcome"), NOW)
        assert calls == []
        await uow.commit()
        assert calls == [1]
        await uow.commit()
        assert calls == [1], "the next commit queued nothing new"
        await uow.outbox.add_many([Notification(person.id, "welcome")], NOW)
        await uow.commit()
        assert calls == [1, 1]
    async with SqlUnitOfWork(sessionmaker, on_commit=committed) as uow:
        await uow.outbox.add(Notification(person.id, "welcome"), NOW)  # left without a commit

    assert len(calls) == 2


async def test_the_session_exists_only_inside(sessionmaker: Sessions) -> None:
    uow = SqlUnitOfWork(sessionmaker)
    with pytest.raises(RuntimeError):
        uow.session  # noqa: B018
    async with uow:
        assert uow.session is not None
    with pytest.raises(RuntimeError):
        uow.session  # noqa: B018


async def test_outbox_and_audit_rows_are_written(sessionmaker: Sessions) -> None:
    person = await add_person(sessionmaker, 1)

    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.outbox.add(Notification(person.id, "hello", {"n": [1, "二"]}, ref="r:1"), NOW)
        await uow.audit.add(
            AuditEntry("act", person.id, NOW, "person:1", on_behalf_of=person.id, comment="c")
        )
        await uow.commit()

    outbox = await row(sessionmaker, OutboxRow, 1)
    audit = await row(sessionmaker, AuditRow, 1)
    assert (outbox.recipient_id, outbox.template, outbox.params, outbox.ref) == (
        person.id,
        "hello",
        {"n": [1, "二"]},
        "r:1",
    )
    assert (outbox.status, outbox.attempts, outbox.next_attempt_at) == ("pending", 0, NOW)
    assert (audit.action, audit.actor_id, audit.on_behalf_of, audit.at, audit.comment) == (
        "act",
        person.id,
        person.id,
        NOW,
        "c",
    )


async def test_many_outbox_and_audit_rows_are_written_in_order(sessionmaker: Sessions) -> None:
    person = await add_person(sessionmaker, 1)
    at = datetime(2026, 3, 2, 18, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    notifications = [
        Notification(person.id, "hello", {"n": [1, "二"]}, ref="r:1", edit=True),
        Notification(person.id, "bye", {}),
    ]

    async with SqlUnitOfWork(sessionmaker) as uow:
        await uow.outbox.add_many(notifications, at)
        await uow.outbox.add_many([], at)
        await uow.audit.add_many([AuditEntry("act", None, at, "s:1"), AuditEntry("b", 1, at, "s")])
        await uow.commit()

    async with sessionmaker() as session:
        outbox = (await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()
        audit = (await session.scalars(select(AuditRow).order_by(AuditRow.id))).all()
    assert [(o.template, o.params, o.ref, o.edit, o.edit_only) for o in outbox] == [
        ("hello", {"n": [1, "二"]}, "r:1", True, False),
        ("bye", {}, None, False, False),
    ]
    assert {(o.status, o.attempts, o.created_at, o.next_attempt_at) for o in outbox} == {
        ("pending", 0, at, at)
    }
    assert [(a.action, a.actor_id, a.at, a.subject) for a in audit] == [
        ("act", None, at, "s:1"),
        ("b", 1, at, "s"),
    ]


# --- datetimes ----------------------------------------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "joined_at",
    [
        datetime(2026, 3, 2, 18, 30, 15, 123456, tzinfo=SHANGHAI),
        datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, tzinfo=ZoneInfo("America/Los_Angeles")),
    ],
)
async def test_aware_datetimes_come_back_as_the_same_instant_in_utc(
    sessionmaker: Sessions, joined_at: datetime
) -> None:
    person = await add_person(sessionmaker, 1, joined_at=joined_at)

    async with SqlUnitOfWork(sessionmaker) as uow:
        back = (await uow.people.get(person.id)).joined_at  # type: ignore[union-attr]

    assert back == joined_at
    assert back is not None
    assert back.utcoffset() == timedelta(0)
    assert back.tzinfo is UTC


async def test_comparisons_are_by_instant_not_by_wall_clock(sessionmaker: Sessions) -> None:
    # 17:00 in Shanghai is 09:00 UTC: the invite has expired at NOW (10:00 UTC)
    await add_invite(sessionmaker, expires_at=datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI))

    async with SqlUnitOfWork(sessionmaker) as uow:
        assert not await uow.invites.claim("CODE", 1, NOW)


async def test_a_naive_datetime_is_refused(sessionmaker: Sessions) -> None:
    with pytest.raises(StatementError) as caught:
        await add_person(sessionmaker, 1, joined_at=datetime(2026, 3, 2, 10, 0))

    assert isinstance(caught.value.orig, ValueError)
    assert "naive" in str(caught.value.orig)
    assert await count(sessionmaker, PersonRow) == 0


async def test_the_largest_id_a_button_may_carry_finds_nothing_without_an_error(
    sessionmaker: Sessions, db_url: str
) -> None:
    """MAX_ID bounds every record id read from a button. On both databases a lookup at the
    bound is a plain miss; one past it is not a valid INTEGER on PostgreSQL (32-bit ids), which
    is why the bound is 2**31 - 1 and not SQLite's 2**63 - 1."""
    async with SqlUnitOfWork(sessionmaker) as uow:
        assert await uow.people.get(MAX_ID) is None
        assert await uow.steps.get(MAX_ID) is None
        assert await uow.requests.get(MAX_ID) is None
        assert await uow.customers.get(MAX_ID) is None
        assert await uow.plans.get(MAX_ID) is None
        assert await uow.targets.by_id(MAX_ID) is None
    if db_url.startswith("postgresql"):
        async with SqlUnitOfWork(sessionmaker) as uow:
            with pytest.raises(DBAPIError):
                await uow.steps.get(MAX_ID + 1)
