"""The organisation the throughput benchmark runs on: the demo team grown to --people members,
each rep and supervisor with a customer and one deal request waiting for their manager, so
approvers have real cards to tap. Seeded once into a template database through the real use
cases; every run copies the file.

What was queued while seeding (approval cards, status messages, prospects to confirm) is marked
sent, and the emulator process recreates those messages in each chat under the same message ids,
so a tap on a card and the card's later edit find what they expect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, update

from bot.clock import system_clock
from bot.core.customers import CustomerDraft
from bot.core.deals import DealTerms
from bot.core.policy import Policy
from bot.core.roles import Role
from bot.core.usecases import approvals, customer_register
from bot.sandbox.demo import DEMO_PEOPLE, seed_demo
from storage.engine import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.tables import OutboxRow, PersonRow
from storage.uow import SqlUnitOfWork

FIRST_ID = 2000  # telegram ids of the people added to the demo team
EXTRA_MANAGERS = 4
SUPERVISORS_PER_MANAGER = 10
APPROVER_ROLES = {Role.supervisor.value, Role.sales_manager.value}


@dataclass(frozen=True, slots=True)
class Member:
    telegram_id: int
    name: str
    role: str
    language: str


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message the bot sent while seeding: recreated in the emulator with this id."""

    chat_id: int
    message_id: int
    text: str
    step_id: int | None = None  # an approval card's step: the card gets its three buttons


@dataclass
class World:
    members: list[Member]
    sent: list[SentMessage] = field(default_factory=list)

    def cards(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id and m.step_id is not None]


def _language(n: int) -> str:
    return "zh" if n % 3 == 0 else "en"


def _plan(people: int) -> list[tuple[int, str, Role, int | None]]:
    """(telegram id, name, role, manager's telegram id) for the members beyond the demo team:
    sales managers under the VP, supervisors under them, reps spread over the supervisors."""
    vp, demo_manager, demo_supervisor = 1002, 1003, 1004
    managers = [demo_manager] + [FIRST_ID + i for i in range(EXTRA_MANAGERS)]
    plan: list[tuple[int, str, Role, int | None]] = [
        (m, f"Manager {m}", Role.sales_manager, vp) for m in managers[1:]
    ]
    supervisors = [demo_supervisor]
    next_id = FIRST_ID + EXTRA_MANAGERS
    for n in range(len(managers) * SUPERVISORS_PER_MANAGER - 1):
        plan.append(
            (next_id, f"Supervisor {next_id}", Role.supervisor, managers[n % len(managers)])
        )
        supervisors.append(next_id)
        next_id += 1
    n = 0
    while len(DEMO_PEOPLE) + len(plan) < people:
        plan.append((next_id, f"Rep {next_id}", Role.rep, supervisors[n % len(supervisors)]))
        next_id, n = next_id + 1, n + 1
    return plan


async def _add_people(uow: SqlUnitOfWork, people: int, now: datetime) -> None:
    ids = {p.telegram_id: p.id for p in await uow.people.all()}
    for telegram_id, name, role, manager in _plan(people):
        person = await uow.people.add(
            telegram_id=telegram_id,
            full_name=name,
            role=role,
            reports_to=ids[manager] if manager else None,
            language=_language(telegram_id),
            joined_at=now,
        )
        ids[telegram_id] = person.id
    await uow.commit()


async def _seed_requests(url: str, policy: Policy, now: datetime) -> None:
    """A customer for every rep and supervisor, and one 8 % deal request from each."""
    sessions = make_sessionmaker(engine := make_engine(url))
    try:
        async with SqlUnitOfWork(sessions) as uow:
            requesters = [
                p for p in await uow.people.all() if p.role in (Role.rep, Role.supervisor)
            ]
        for person in requesters:
            async with SqlUnitOfWork(sessions) as uow:
                draft = CustomerDraft(f"Minghua Golden {person.telegram_id}", region="east")
                customer = await customer_register.register(
                    uow, actor_id=person.id, draft=draft, now=now
                )
            async with SqlUnitOfWork(sessions) as uow:
                terms = DealTerms(
                    customer_id=customer.id,
                    product="Steel pipes DN50",
                    quantity=Decimal("200"),
                    amount=Decimal("120000.00"),
                    discount=Decimal("8"),
                )
                await approvals.submit(
                    uow, requester_id=person.id, terms=terms, policy=policy, now=now
                )
    finally:
        await engine.dispose()


async def _mark_sent(url: str, now: datetime) -> list[SentMessage]:
    """Everything queued while seeding counts as sent; message ids run from 1 in each chat."""
    engine = make_engine(url)
    sent: list[SentMessage] = []
    try:
        async with make_sessionmaker(engine)() as session:
            rows = (
                await session.execute(
                    select(
                        OutboxRow.id, OutboxRow.template, OutboxRow.params, PersonRow.telegram_id
                    )
                    .join(PersonRow, PersonRow.id == OutboxRow.recipient_id)
                    .order_by(OutboxRow.id)
                )
            ).all()
            last: dict[int, int] = {}
            for row_id, template, params, chat_id in rows:
                message_id = last[chat_id] = last.get(chat_id, 0) + 1
                step = params.get("step") if template == "approval_card" else None
                step_id = int(step["id"]) if isinstance(step, dict) else None
                sent.append(SentMessage(chat_id, message_id, template, step_id))
                await session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row_id)
                    .values(status="sent", sent_at=now, chat_id=chat_id, message_id=message_id)
                )
            await session.commit()
    finally:
        await engine.dispose()
    return sent


async def build_world(path: Path, people: int, policy: Policy) -> World:
    """Migrate and seed the template database at `path`."""
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    now = system_clock()
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        async with SqlUnitOfWork(sessions) as uow:
            await seed_demo(uow, now)
        async with SqlUnitOfWork(sessions) as uow:
            await _add_people(uow, people, now)
        async with SqlUnitOfWork(sessions) as uow:
            members = [
                Member(p.telegram_id, p.full_name, p.role.value, p.language or "en")
                for p in await uow.people.all()
            ]
    finally:
        await engine.dispose()
    await _seed_requests(url, policy, now)
    return World(members, await _mark_sent(url, now))
