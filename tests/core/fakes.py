"""In-memory fakes of the ports in bot/core/ports.py, with builders and helpers that assert.

The fakes behave like the SQL adapters where the use cases can tell: reads return copies (a
use case must `save` to change anything), `claim` is conditional, and a unit of work that is
rolled back (or left) without a commit forgets everything written since the last commit.
Imported as `fakes` (pytest puts this directory on sys.path, as tests/bot does for harness).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from bot.core.models import AuditEntry, Invite, Notification, Person
from bot.core.roles import Role

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def make_person(**overrides: Any) -> Person:
    person_id = overrides.pop("id", 1)
    defaults: dict[str, Any] = {
        "id": person_id,
        "telegram_id": 1000 + person_id,
        "full_name": f"Person {person_id}",
        "role": Role.rep,
        "joined_at": NOW - timedelta(days=30),
    }
    return Person(**{**defaults, **overrides})


def make_invite(**overrides: Any) -> Invite:
    defaults: dict[str, Any] = {
        "code": "CODE",
        "role": Role.rep,
        "reports_to": None,
        "created_by": None,
        "created_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=6),
    }
    return Invite(**{**defaults, **overrides})


# The organisation most tests run against; ids are chosen so a failing assertion reads well.
ADA, GUS, MIA, SAM, SUE, ROB, SID, RAY, FAY, ACE = range(1, 11)


def make_org() -> list[Person]:
    """admin Ada; Gus (GM) > Mia (marketing VP) > Sam (sales manager) > Sue, Sid (supervisors)
    > Rob, Ray (reps); Gus > Fay (finance VP) > Ace (accountant)."""
    return [
        make_person(id=ADA, full_name="Ada", role=Role.admin),
        make_person(id=GUS, full_name="Gus", role=Role.general_manager),
        make_person(id=MIA, full_name="Mia", role=Role.marketing_vp, reports_to=GUS),
        make_person(id=SAM, full_name="Sam", role=Role.sales_manager, reports_to=MIA),
        make_person(id=SUE, full_name="Sue", role=Role.supervisor, reports_to=SAM),
        make_person(id=ROB, full_name="Rob", role=Role.rep, reports_to=SUE),
        make_person(id=SID, full_name="Sid", role=Role.supervisor, reports_to=SAM),
        make_person(id=RAY, full_name="Ray", role=Role.rep, reports_to=SID),
        make_person(id=FAY, full_name="Fay", role=Role.finance_vp, reports_to=GUS),
        make_person(id=ACE, full_name="Ace", role=Role.accountant, reports_to=FAY),
    ]


class FakePeople:
    def __init__(self, people: Iterable[Person] = ()) -> None:
        self.rows: dict[int, Person] = {p.id: replace(p) for p in people}

    async def get(self, person_id: int) -> Person | None:
        person = self.rows.get(person_id)
        return replace(person) if person else None

    async def by_ids(self, person_ids: Iterable[int]) -> Sequence[Person]:
        return [replace(self.rows[i]) for i in sorted(set(person_ids)) if i in self.rows]

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        found = next((p for p in self.rows.values() if p.telegram_id == telegram_id), None)
        return replace(found) if found else None

    async def all(self) -> Sequence[Person]:
        return [replace(self.rows[i]) for i in sorted(self.rows)]

    async def admin_count(self) -> int:
        return sum(1 for p in self.rows.values() if p.is_admin and p.active)

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
        if await self.by_telegram_id(telegram_id) is not None:
            raise AssertionError(f"telegram_id {telegram_id} is unique in the database")
        person = Person(
            id=max(self.rows, default=0) + 1,
            telegram_id=telegram_id,
            full_name=full_name,
            role=role,
            reports_to=reports_to,
            language=language,
            joined_at=joined_at,
        )
        self.rows[person.id] = person
        return replace(person)

    async def claim_reachable(self, person_id: int) -> bool:
        person = self.rows.get(person_id)
        if person is None or not person.unreachable:
            return False
        person.unreachable = False
        return True

    async def save(self, person: Person) -> None:
        if person.id in self.rows:  # like UPDATE … WHERE id = …: a missing row stays missing
            self.rows[person.id] = replace(person, joined_at=self.rows[person.id].joined_at)

    def __getitem__(self, person_id: int) -> Person:
        return self.rows[person_id]

    def reporting_to(self, manager_id: int | None) -> set[int]:
        return {p.id for p in self.rows.values() if p.reports_to == manager_id}


class FakeInvites:
    def __init__(self, invites: Iterable[Invite] = ()) -> None:
        self.rows: dict[str, Invite] = {i.code: replace(i) for i in invites}
        # Codes another worker claims between this worker's `get` and `claim` (a lost race).
        self.claimed_elsewhere: set[str] = set()

    async def add(self, invite: Invite) -> None:
        if invite.code in self.rows:
            raise AssertionError(f"invite code {invite.code} is a primary key")
        self.rows[invite.code] = replace(invite)

    async def get(self, code: str) -> Invite | None:
        invite = self.rows.get(code)
        return replace(invite) if invite else None

    async def open(self, now: datetime) -> Sequence[Invite]:
        waiting = [i for i in self.rows.values() if i.used_by is None and now < i.expires_at]
        return [replace(i) for i in sorted(waiting, key=lambda i: (i.expires_at, i.code))]

    async def claim(self, code: str, telegram_id: int, now: datetime) -> bool:
        invite = self.rows.get(code)
        if invite is None or code in self.claimed_elsewhere:
            return False
        if invite.used_by is not None or invite.expires_at <= now:
            return False
        invite.used_by, invite.used_at = telegram_id, now
        return True

    def __getitem__(self, code: str) -> Invite:
        return self.rows[code]


@dataclass
class Queued:
    notification: Notification
    at: datetime


class FakeOutbox:
    def __init__(self) -> None:
        self.queued: list[Queued] = []

    async def add(self, notification: Notification, now: datetime) -> None:
        self.queued.append(Queued(copy.deepcopy(notification), now))

    async def add_many(self, notifications: Sequence[Notification], now: datetime) -> None:
        for notification in notifications:
            await self.add(notification, now)

    def sent_to(self, person_id: int) -> list[Notification]:
        return [q.notification for q in self.queued if q.notification.recipient_id == person_id]

    def recipients(self) -> list[int]:
        return [q.notification.recipient_id for q in self.queued]


class FakeAudit:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def add(self, entry: AuditEntry) -> None:
        self.entries.append(replace(entry))

    async def add_many(self, entries: Sequence[AuditEntry]) -> None:
        for entry in entries:
            await self.add(entry)

    def actions(self) -> list[str]:
        return [entry.action for entry in self.entries]


@dataclass
class FakeUnitOfWork:
    people: FakePeople = field(default_factory=FakePeople)
    invites: FakeInvites = field(default_factory=FakeInvites)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    audit: FakeAudit = field(default_factory=FakeAudit)
    committed: int = 0
    rolled_back: int = 0
    _saved: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._saved = self.snapshot()

    @classmethod
    def of(cls, people: Iterable[Person] = (), invites: Iterable[Invite] = ()) -> Self:
        return cls(people=FakePeople(people), invites=FakeInvites(invites))

    def snapshot(self) -> dict[str, Any]:
        """Everything written so far, committed or not, as a comparable value."""
        return copy.deepcopy(
            {
                "people": self.people.rows,
                "invites": self.invites.rows,
                "outbox": self.outbox.queued,
                "audit": self.audit.entries,
            }
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    def baseline(self) -> None:
        """Take what is stored now as committed, without counting a commit (test setup)."""
        self._saved = self.snapshot()

    async def commit(self) -> None:
        self.committed += 1
        self._saved = self.snapshot()

    async def rollback(self) -> None:
        self.rolled_back += 1
        saved = copy.deepcopy(self._saved)
        self.people.rows = saved["people"]
        self.invites.rows = saved["invites"]
        self.outbox.queued = saved["outbox"]
        self.audit.entries = saved["audit"]
